import { describe, expect, it } from "vitest";
import { bundle, clientEntryBudgetBytes } from "../support/bundle-size.ts";

describe("the client entry's size budget", () => {
  it("stays within 5 kB min+gzip, openapi-fetch included (bench:client prints the figures)", async () => {
    const size = await bundle("client entry", 'export * from "./src/client/index.ts";', "browser");
    expect(size.minifiedBytes).toBeGreaterThan(0);
    expect(size.gzippedBytes).toBeLessThanOrEqual(clientEntryBudgetBytes);
  });
});
