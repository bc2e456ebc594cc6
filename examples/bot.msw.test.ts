/**
 * A vitest + MSW test of a bot, with token checking on, as a user writes one for their own bot:
 * MSW plays Graph (graph-comms-kit/mocks) and Microsoft's key endpoints (a key pair made here with
 * jose), the bot really listens on 127.0.0.1, and Graph's notification reaches it signed.
 *
 * Run: `npx vitest run examples/bot.msw.test.ts`
 */
import { createCallsClient } from "graph-comms-kit";
import { createGraphHandlers } from "graph-comms-kit/mocks";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import type { RunningBot } from "./bot.ts";
import { startNodeHttpBot } from "./node-http-bot.ts";

const appId = "2a4a42e9-6bd0-4c86-8d3c-4b8e6d1e3a1f";
const tenantId = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const callId = "57dab8b1-894c-409a-b240-bd8beae78896";
const keysHost = "https://keys.graph-test.example";
const signingKey = await generateKeyPair("RS256", { extractable: true });
const publicJwk = { ...(await exportJWK(signingKey.publicKey)), kid: "test-key", alg: "RS256", use: "sig" };

const graph = createGraphHandlers();
const server = setupServer(
  ...graph.handlers,
  // Stand-ins for Microsoft's OpenID configuration and signing keys, so the bot checks tokens as in production.
  http.get(`${keysHost}/.well-known/openid-configuration`, () =>
    HttpResponse.json({ issuer: "https://api.botframework.com", jwks_uri: `${keysHost}/keys` }),
  ),
  http.get(`${keysHost}/keys`, () => HttpResponse.json({ keys: [publicJwk] })),
);
let bot: RunningBot;

beforeAll(async () => {
  server.listen({ onUnhandledRequest: "error" });
  bot = await startNodeHttpBot({
    appId,
    auth: { openIdConfigurationUrl: `${keysHost}/.well-known/openid-configuration` },
  });
});
afterEach(() => graph.reset());
afterAll(async () => {
  await bot?.close();
  server.close();
});

/** A token shaped like the ones Graph signs notifications with. */
function graphToken(audience = appId): Promise<string> {
  return new SignJWT({ tid: tenantId })
    .setProtectedHeader({ alg: "RS256", kid: publicJwk.kid })
    .setIssuer("https://graph.microsoft.com")
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime("5m")
    .sign(signingKey.privateKey);
}

it("cancels media processing through a throttled Graph and learns from the signed notification that it completed", async () => {
  graph.scenario("throttled", { times: 1, retryAfter: 0 }); // one 429 first: the client retries
  const client = createCallsClient({ token: "test-app-token" });
  const operation = await client.cancelMediaProcessing(callId, { all: true, clientContext: "ctx-1" });
  expect(graph.requests.map((request) => request.status)).toEqual([429, operation.httpStatus]);

  const outcome = bot.tracker.wait(operation, { timeoutMs: 10_000 });
  const delivery = await graph.notify(operation, {
    status: "completed",
    to: bot.callbackUrl,
    token: await graphToken(),
  });
  expect(delivery.status).toBe(202);
  expect(await outcome).toMatchObject({ status: "completed", operationId: operation.operationId });
});

it("is refused by the bot when the token was issued for another app", async () => {
  const client = createCallsClient({ token: "test-app-token" });
  const operation = await client.cancelMediaProcessing(callId, { all: true });
  await expect(
    graph.notify(operation, {
      status: "completed",
      to: bot.callbackUrl,
      token: await graphToken("another-app"),
    }),
  ).rejects.toThrow(/401/);
});
