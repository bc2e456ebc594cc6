/**
 * Every framework example of examples/ run end to end with token checking on: each bot listens on
 * 127.0.0.1, gets Graph's seed notification signed with local keys (test/support/key-server.ts),
 * and its tracker learns the operation completed; a bad token, a body that is not JSON and a body
 * over the limit get Graph's answers, not a hang.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { BotOptions, RunningBot } from "../../examples/bot.ts";
import { startExpressBot } from "../../examples/express-bot.ts";
import { startFastifyBot } from "../../examples/fastify-bot.ts";
import { startHonoBot } from "../../examples/hono-bot.ts";
import { startNodeHttpBot } from "../../examples/node-http-bot.ts";
import openapi from "../../generated/openapi.json" with { type: "json" };
import { parseOperationPath } from "../../src/core/operation-path.ts";
import {
  appId,
  graphClaims,
  type KeyServer,
  newSigningKey,
  type SigningKey,
  sign,
  startKeyServer,
} from "../support/key-server.ts";

const seedNotification = openapi.components.examples.seedNotification.value;
const seedOperation = parseOperationPath(openapi.components.examples.seedLocation.value);

let key: SigningKey;
let keys: KeyServer;

beforeAll(async () => {
  key = await newSigningKey("example-key");
  keys = await startKeyServer([key]);
});

afterAll(() => keys?.close());

const bots: [string, (options: BotOptions) => Promise<RunningBot>][] = [
  ["node:http", startNodeHttpBot],
  ["Express 5 (express.raw)", startExpressBot],
  ["Fastify 5 (buffer parser)", startFastifyBot],
  ["Hono (@hono/node-server)", startHonoBot],
];

describe.each(bots)("the %s example bot, auth on", (_name, start) => {
  let bot: RunningBot;
  const logger = { warn: vi.fn(), error: vi.fn() };

  beforeAll(async () => {
    bot = await start({ appId, auth: { openIdConfigurationUrl: keys.openIdConfigurationUrl }, logger });
  });

  afterAll(() => bot?.close());
  afterEach(() => vi.clearAllMocks());

  const post = (body: string, headers: Record<string, string>) =>
    fetch(bot.callbackUrl, { method: "POST", headers, body, signal: AbortSignal.timeout(10_000) });

  it("accepts Graph's signed notification and its tracker learns the operation completed", async () => {
    expect(seedOperation).toBeDefined();
    const outcome = bot.tracker.wait(seedOperation ?? { callId: "", operationId: "" }, { timeoutMs: 10_000 });
    const answer = await post(JSON.stringify(seedNotification), {
      authorization: `Bearer ${await sign(key)}`,
      "content-type": "application/json",
    });
    expect(answer.status).toBe(202);
    expect((await outcome).status).toBe("completed");
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it("answers 401 to a token signed for another app, and hands nothing over", async () => {
    const answer = await post(JSON.stringify(seedNotification), {
      authorization: `Bearer ${await sign(key, graphClaims({ aud: "another-app" }))}`,
      "content-type": "application/json",
    });
    expect(answer.status).toBe(401);
    expect(answer.headers.get("www-authenticate")).toBe("Bearer");
  });

  it("refuses a body that is not JSON with 415", async () => {
    const answer = await post("status=completed", {
      authorization: `Bearer ${await sign(key)}`,
      "content-type": "application/x-www-form-urlencoded",
    });
    expect(answer.status).toBe(415);
  });

  it("refuses a body over 1 MiB with 413", async () => {
    const huge = JSON.stringify({ value: [], padding: "x".repeat(1024 * 1024 + 1) });
    const answer = await post(huge, {
      authorization: `Bearer ${await sign(key)}`,
      "content-type": "application/json",
    });
    expect(answer.status).toBe(413);
  });
});
