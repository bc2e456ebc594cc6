/**
 * Every framework example of examples/ run end to end with token checking on: each bot listens on
 * 127.0.0.1, gets Graph's 2018 beta notification signed with the testing kit's keys
 * (graph-comms-kit/testing: the keys a user's own tests would use),
 * and its tracker learns the operation completed; a bad token, a body that is not JSON and a body
 * over the limit get Graph's answers, not a hang.
 */

import {
  createTestSigningKeys,
  type RunningKeyServer,
  serveTestSigningKeys,
  type TestSigningKeys,
} from "graph-comms-kit/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { BotOptions, RunningBot } from "../../examples/bot.ts";
import { startExpressBot } from "../../examples/express-bot.ts";
import { startFastifyBot } from "../../examples/fastify-bot.ts";
import { startHonoBot } from "../../examples/hono-bot.ts";
import { startNodeHttpBot } from "../../examples/node-http-bot.ts";
import openapi from "../../generated/openapi.json" with { type: "json" };
import { parseOperationPath } from "../../src/core/operation-path.ts";

const appId = "7e1b4346-85a6-4bdd-abe3-d11c5d420efe";

const beta2018Notification = openapi.components.examples.beta2018Notification.value;
const seedOperation = parseOperationPath(openapi.components.examples.beta2018Location.value);

let signing: TestSigningKeys;
let keys: RunningKeyServer;

beforeAll(async () => {
  signing = await createTestSigningKeys({ appId });
  keys = await serveTestSigningKeys(signing);
});

afterAll(() => keys?.close());

const bots: [string, (options: BotOptions) => Promise<RunningBot>][] = [
  ["node:http (createNodeMiddleware)", startNodeHttpBot],
  ["Express 5 (createNodeMiddleware)", startExpressBot],
  ["Fastify 5 (fastifyNotifications)", startFastifyBot],
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
    const answer = await post(JSON.stringify(beta2018Notification), {
      authorization: `Bearer ${await signing.mint()}`,
      "content-type": "application/json",
    });
    expect(answer.status).toBe(202);
    expect((await outcome).status).toBe("completed");
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it("answers 401 to a token signed for another app, and hands nothing over", async () => {
    const answer = await post(JSON.stringify(beta2018Notification), {
      authorization: `Bearer ${await signing.mint({ audience: "another-app" })}`,
      "content-type": "application/json",
    });
    expect(answer.status).toBe(401);
    expect(answer.headers.get("www-authenticate")).toBe("Bearer");
  });

  it("refuses a body that is not JSON with 415", async () => {
    const answer = await post("status=completed", {
      authorization: `Bearer ${await signing.mint()}`,
      "content-type": "application/x-www-form-urlencoded",
    });
    expect(answer.status).toBe(415);
  });

  it("refuses a body over 1 MiB with 413", async () => {
    const huge = JSON.stringify({ value: [], padding: "x".repeat(1024 * 1024 + 1) });
    const answer = await post(huge, {
      authorization: `Bearer ${await signing.mint()}`,
      "content-type": "application/json",
    });
    expect(answer.status).toBe(413);
  });
});
