/**
 * Graceful shutdown, single process: on SIGTERM the bot of README's recipe closes its server and its
 * tracker (whose pending wait held a 10-minute timer) and the process exits by itself.
 */
import { describe, expect, it } from "vitest";
import { startAndTerminate } from "../../support/shutdown.ts";

describe("a bot process with a pending wait", () => {
  it("exits by itself after SIGTERM: server closed, the wait rejected with TrackerClosedError", async () => {
    const { code, stdout, stderr } = await startAndTerminate();
    expect(code).toBe(0);
    expect(stderr).toBe("");
    expect(stdout).toMatch(/^wait: TrackerClosedError\nclosed\n$/m);
  }, 30_000);
});
