import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
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
      const response = await fetch(`${prism.url}/communications/calls/abc/cancelMediaProcessing`, {
        method: "POST",
        headers: { authorization: "Bearer t", "content-type": "application/json" },
        body: "{}",
      });
      expect(response.status).toBe(200);
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
});
