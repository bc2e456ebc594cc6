import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../../../src/mocks/index.ts";
import { freePort } from "../../../src/mocks/prism/free-port.ts";
import { startPrism } from "../../../src/mocks/prism/prism-launch.ts";
import { type RecordingServer, startRecordingServer } from "../../support/recording-server.ts";

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("startPrism", () => {
  it("starts Prism on a free port with the given callback URL, and stop() leaves nothing behind", async () => {
    const callbackPort = await freePort();
    const listener: RecordingServer = await startRecordingServer({ port: callbackPort });
    const prism = await startPrism({ port: 0, callbackUrl: `http://127.0.0.1:${callbackPort}/hooks/graph` });
    try {
      expect(prism.url).toBe(`http://127.0.0.1:${prism.port}`);
      expect(groupAlive(prism.pid)).toBe(true);
      const response = await fetch(`${prism.url}/applications/app-1/calls/abc/cancelMediaProcessing`, {
        method: "POST",
        headers: { authorization: "Bearer t", "content-type": "application/json" },
        body: "{}",
      });
      expect(response.status).toBe(202);
      const callback = await listener.waitFor(() => true);
      expect(callback.path).toBe("/hooks/graph");
    } finally {
      await prism.stop();
      await listener.close();
    }
    expect(groupAlive(prism.pid)).toBe(false);
    expect(existsSync(prism.specFile)).toBe(false);
    await expect(fetch(`${prism.url}/communications/calls/abc/cancelMediaProcessing`)).rejects.toThrow();
    await prism.stop(); // a second stop is harmless
  });

  it.each([
    [
      "a runtime expression that would leak the token",
      { callbackUrl: "http://127.0.0.1:3978/cb?t={$request.header.authorization}" },
      /options.callbackUrl must not contain \{ or \}/,
    ],
    [
      "a brace in a URL object",
      { callbackUrl: new URL("http://127.0.0.1:3978/cb?t={x}") as never },
      /must not contain \{ or \}/,
    ],
    [
      "a misspelt option",
      { callbackURL: "http://127.0.0.1:3978/cb" },
      /options.callbackURL is not allowed \(did you mean "callbackUrl"\?\)/,
    ],
    ["a bad ready timeout", { readyTimeoutMs: 0 }, /options.readyTimeoutMs must be a number >= 1/],
    [
      "a bad notification status",
      { notificationStatus: "done" },
      /options.notificationStatus must be "completed" or "failed"/,
    ],
  ])("refuses %s before starting anything, with InvalidArgumentError", async (_, options, message) => {
    const error = await startPrism({ port: 0, ...(options as object) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toMatch(message);
  });

  it.each([
    ["http://bot.example/api/calls", /is not a loopback address/],
    ["http://0.0.0.0:3978/api/calls", /0\.0\.0\.0 is an address to listen on, not to send to/],
  ])("warns about the callback host of %s (and still starts)", async (callbackUrl, warning) => {
    const warnings: string[] = [];
    const prism = await startPrism({ port: 0, callbackUrl, onWarning: (m) => warnings.push(m) });
    await prism.stop();
    expect(warnings).toEqual([expect.stringMatching(warning)]);
  });

  it("does not warn about a loopback callback host", async () => {
    const warnings: string[] = [];
    const prism = await startPrism({
      port: 0,
      callbackUrl: "http://localhost:3978/x",
      onWarning: (m) => warnings.push(m),
    });
    await prism.stop();
    expect(warnings).toEqual([]);
  });
});
