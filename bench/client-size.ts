/** Measurement 3: bundle size, minified and gzipped, of the client entry (openapi-fetch included) and of peers. */
import { bundle, type SizeResult } from "../test/support/bundle-size.ts";

export { clientEntryBudgetBytes, type SizeResult } from "../test/support/bundle-size.ts";

export async function measureSizes(): Promise<SizeResult[]> {
  return [
    await bundle("graph-comms-kit (client entry)", 'export * from "./src/client/index.ts";', "browser"),
    await bundle("openapi-fetch alone", 'export { default } from "openapi-fetch";', "browser"),
    await bundle("openapi-fetch parts we use", 'export { createFinalURL } from "openapi-fetch";', "browser"),
    await bundle("graph-client (browser)", 'export * from "@microsoft/microsoft-graph-client";', "browser"),
    await bundle("graph-client (node)", 'export * from "@microsoft/microsoft-graph-client";', "node"),
  ];
}
