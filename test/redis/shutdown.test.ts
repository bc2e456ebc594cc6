/**
 * Graceful shutdown with the Redis store: on SIGTERM the bot closes its server, its tracker, the
 * store's subscriber and its own Redis client, and the process exits by itself.
 */
import { describe, expect, inject, it } from "vitest";
import { startAndTerminate } from "../support/shutdown.ts";

describe("a bot process on Redis with a pending wait", () => {
  it("exits by itself after SIGTERM once tracker, store and client are closed", async () => {
    const { code, stdout, stderr } = await startAndTerminate(inject("redisUrl"));
    expect(code).toBe(0);
    expect(stderr).toBe("");
    expect(stdout).toMatch(/^wait: TrackerClosedError\nclosed\n$/m);
  }, 30_000);
});
