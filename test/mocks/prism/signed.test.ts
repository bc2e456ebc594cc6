/**
 * Signed notifications from the Prism mock: a bot with token checks on accepts them. In process
 * (startPrism with the testing kit's keys as `notificationSigner`), and out of process: `npm start
 * -- --app-id ...` prints the one URL the bot sets as `openIdConfigurationUrl`, and the example bot,
 * in its own process with that URL, accepts the notification.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCallsClient } from "../../../src/client/index.ts";
import { freePort } from "../../../src/mocks/prism/free-port.ts";
import { startPrism } from "../../../src/mocks/prism/prism-launch.ts";
import {
  createNotificationHandler,
  createOperationTracker,
  type OperationTracker,
} from "../../../src/notifications/index.ts";
import {
  createTestSigningKeys,
  type RunningKeyServer,
  serveTestSigningKeys,
  type TestSigningKeys,
} from "../../../src/testing/index.ts";
import { collect, startScript, stopChild } from "../../support/child-process.ts";
import { type RunningServer, serveHandler } from "../../support/http-server.ts";
import { appId, callId } from "../../support/seed-ids.ts";

const applicationsPath = "/applications/{appId}/calls/{callId}/cancelMediaProcessing";

describe("startPrism with a notificationSigner", () => {
  let keys: TestSigningKeys;
  let keyServer: RunningKeyServer;
  let bot: RunningServer;
  let tracker: OperationTracker;
  const logged: string[] = [];

  beforeAll(async () => {
    keys = await createTestSigningKeys({ appId });
    keyServer = await serveTestSigningKeys(keys);
    tracker = createOperationTracker({ timeoutMs: 15_000 });
    const handle = createNotificationHandler({
      appId,
      auth: { openIdConfigurationUrl: keyServer.openIdConfigurationUrl },
      onNotification: (n) => tracker.handle(n),
      logger: { warn: (m: string) => logged.push(m), error: (m: string) => logged.push(m) },
    });
    bot = await serveHandler(handle);
  });

  afterAll(async () => {
    await bot?.close();
    await keyServer?.close();
  });

  it("delivers the callback with a token the bot's token checks accept", async () => {
    const prism = await startPrism({ port: 0, callbackUrl: bot.url, notificationSigner: keys });
    try {
      expect(prism).toMatchObject({ signed: true, callbackUrl: bot.url });
      const client = createCallsClient({
        baseUrl: prism.url,
        token: "app-token",
        path: applicationsPath,
        appId,
      });
      const op = await client.cancelMediaProcessing(callId, { all: true });
      await expect(tracker.wait(op)).resolves.toMatchObject({ status: "completed" });
      expect(logged).toEqual([]);
    } finally {
      await prism.stop();
    }
  });

  it("refuses a signer without mint()", async () => {
    await expect(startPrism({ port: 0, notificationSigner: {} as never })).rejects.toThrow(
      /options.notificationSigner must be an object with a mint\(\) method/,
    );
  });
});

describe("npm start -- --app-id: a bot in its own process with token checks on", () => {
  it("prints the OpenID configuration URL; the example bot set to it accepts the signed notification", async () => {
    const botPort = await freePort();
    const mock = startScript("src/mocks/prism/bin/graph-comms-mock.ts", [
      "--port",
      "0",
      "--app-id",
      appId,
      "--callback-url",
      `http://127.0.0.1:${botPort}/api/calls`,
    ]);
    const mockOutput = collect(mock);
    let bot: ReturnType<typeof startScript> | undefined;
    try {
      const [, url] = await mockOutput.until(/listening on (http:\/\/127\.0\.0\.1:\d+)\n/);
      const [, configUrl] = await mockOutput.until(/openIdConfigurationUrl to:\n\s+(\S+)\n/);
      expect(configUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\/\.well-known\/OpenIdConfiguration$/);
      bot = startScript("examples/node-http-bot.ts", [], {
        APP_ID: appId,
        PORT: String(botPort),
        OPEN_ID_CONFIGURATION_URL: String(configUrl),
      });
      const botOutput = collect(bot);
      await botOutput.until(/bot listening/);
      const client = createCallsClient({ baseUrl: String(url), token: "t", path: applicationsPath, appId });
      const op = await client.cancelMediaProcessing(callId, { all: true });
      expect(op.httpStatus).toBe(202);
      await botOutput.until(/notification: \/app\/calls\/\w+\/operations\/\w+ completed\n/);
      expect(botOutput.text()).not.toMatch(/\b401\b|refused|invalid/i);
    } finally {
      if (bot) await stopChild(bot);
      await stopChild(mock);
    }
  });
});
