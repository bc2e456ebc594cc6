/**
 * The simulator over real HTTP (`npm run simulate`, on @mswjs/http-middleware) and the trigger
 * command, each in its own process, against the example bot in its own process with token checks
 * on: the bot accepts the simulator's signed notifications, and a notification triggered through
 * the simulator; an unsigned one sent straight to it is refused.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { freePort } from "../../src/mocks/prism/free-port.ts";
import { collect, startScript, stopChild } from "../support/child-process.ts";
import { appId, callId } from "../support/seed-ids.ts";

const run = promisify(execFile);

async function trigger(args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [
      "--import",
      "tsx",
      "src/mocks/prism/bin/graph-comms-mock.ts",
      "trigger",
      ...args,
    ]);
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, out: failed.stdout + failed.stderr };
  }
}

describe("graph-comms-mock simulate + trigger, with the example bot in its own process (token checks on)", () => {
  it("the bot accepts the simulator's signed notifications and a triggered one; an unsigned one is refused", {
    timeout: 90_000,
  }, async () => {
    const botPort = await freePort();
    const callbackUrl = `http://127.0.0.1:${botPort}/api/calls`;
    const simulator = startScript("src/mocks/prism/bin/graph-comms-mock.ts", [
      "simulate",
      "--port",
      "0",
      "--app-id",
      appId,
      "--callback-url",
      callbackUrl,
      "--media-duration-ms",
      "50",
    ]);
    const log = collect(simulator);
    let bot: ReturnType<typeof startScript> | undefined;
    try {
      const [, url] = await log.until(/listening on (http:\/\/127\.0\.0\.1:\d+)\n/);
      const [, configUrl] = await log.until(/openIdConfigurationUrl to:\n\s+(\S+)\n/);
      bot = startScript("examples/node-http-bot.ts", [], {
        APP_ID: appId,
        PORT: String(botPort),
        OPEN_ID_CONFIGURATION_URL: String(configUrl),
      });
      const botLog = collect(bot);
      await botLog.until(/bot listening/);

      // The 2018 flow: 202, then the cancel operation's own notification, signed.
      const response = await fetch(
        `${url}/beta/applications/${appId}/calls/${callId}/cancelMediaProcessing`,
        {
          method: "POST",
          headers: { authorization: "Bearer t", "content-type": "application/json" },
          body: JSON.stringify({ all: true }),
        },
      );
      expect(response.status).toBe(202);
      expect(response.headers.get("x-powered-by")).toBeNull();
      await botLog.until(/notification: \/app\/calls\/\w+\/operations\/\w+ completed\n/);
      await log.until(/notification \(cancelOperation\): .* -> bot answered 202\n/);

      const triggered = await trigger(["cancelled", "--via", String(url)]); // a playPrompt cancelled: failed, 400/8508
      expect(triggered).toMatchObject({ code: 0, out: expect.stringMatching(/the bot answered 202/) });
      await botLog.until(/notification: \/communications\/calls\/\w+\/operations\/\w+ failed\n/);

      const unsigned = await trigger(["completed", "--to", callbackUrl, "--action", "cancelMediaProcessing"]);
      expect(unsigned.code).toBe(1);
      expect(unsigned.out).toMatch(/rejected the notification with 401/);
    } finally {
      if (bot) await stopChild(bot);
      await stopChild(simulator);
    }
  });

  it("trigger refuses a bad kind with exit 2 and the usage", async () => {
    const result = await trigger(["finished"]);
    expect(result.code).toBe(2);
    expect(result.out).toMatch(
      /kind must be one of completed, failed, cancelled, unknown-status, got "finished"/,
    );
  });
});
