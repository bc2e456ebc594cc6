/**
 * The testing kit: tokens minted by createTestSigningKeys pass the real receiver's checks when
 * right and fail them when made wrong, with the keys published by MSW handlers or a 127.0.0.1
 * server; the Graph mock's notify() signs with them.
 */
import { decodeJwt, decodeProtectedHeader } from "jose";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createCallsClient } from "../../src/client/index.ts";
import { createGraphHandlers, deliverNotifications } from "../../src/mocks/index.ts";
import {
  createNotificationHandler,
  createNotificationVerifier,
  createOperationTracker,
  NotificationAuthError,
} from "../../src/notifications/index.ts";
import {
  createTestSigningKeys,
  InvalidArgumentError,
  type MintOptions,
  serveTestSigningKeys,
  type TestSigningKeys,
  testTenantId,
} from "../../src/testing/index.ts";
import { serveHandler } from "../support/http-server.ts";
import { appId, callId } from "../support/seed-ids.ts";

let keys: TestSigningKeys;
const graph = createGraphHandlers({ baseUrl: "https://graph.microsoft.com/v1.0" });
const server = setupServer();

beforeAll(async () => {
  keys = await createTestSigningKeys({ appId });
  server.use(...keys.handlers, ...graph.handlers);
  // The 127.0.0.1 key server is reached for real; anything else unhandled fails the test.
  server.listen({
    onUnhandledRequest: (request, print) => {
      if (new URL(request.url).hostname !== "127.0.0.1") print.error();
    },
  });
});
afterAll(() => server.close());

describe("createTestSigningKeys with the MSW handlers", () => {
  it("mints a token shaped like a live calling token, which the receiver's verifier accepts", async () => {
    const verifier = createNotificationVerifier(appId, {
      openIdConfigurationUrl: keys.openIdConfigurationUrl,
    });
    const token = await keys.mint();
    const { claims, tenantId } = await verifier.verify(`Bearer ${token}`);
    expect(tenantId).toBe(testTenantId);
    // The live token of MicrosoftDocs/bot-docs#2242: these header fields and claims, in this order, no iat.
    expect(decodeProtectedHeader(token)).toEqual({
      alg: "RS256",
      kid: expect.any(String),
      typ: "JWT",
      cty: "JWT",
      x5t: expect.any(String),
    });
    expect(Object.keys(claims)).toEqual(["tid", "appid", "nbf", "exp", "iss", "aud"]);
    expect(claims).toMatchObject({
      iss: "https://api.botframework.com",
      aud: appId,
      tid: testTenantId,
      appid: "26a18ebc-cdf7-4a6a-91cb-beb352805e81",
    });
    expect(Number(claims.exp) - Number(claims.nbf)).toBe(300);
    const header = decodeProtectedHeader(token);
    expect(header.kid).toBe(header.x5t);
    expect(keys.jwks().keys).toEqual([
      { kty: "RSA", use: "sig", kid: header.kid, x5t: header.x5t, n: expect.any(String), e: "AQAB" },
    ]);
  });

  it("has a live-shaped token accepted by a receiver whose clock is 200 s off, either way", async () => {
    const token = `Bearer ${await keys.mint()}`;
    const exp = Number(decodeJwt(token.slice(7)).exp);
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      for (const skewed of [exp + 200, exp - 300 - 200]) {
        vi.setSystemTime(skewed * 1000); // 200 s past exp; 200 s before nbf
        const verifier = createNotificationVerifier(appId, {
          openIdConfigurationUrl: keys.openIdConfigurationUrl,
          tokenCache: false,
        });
        await expect(verifier.verify(token)).resolves.toMatchObject({ tenantId: testTenantId });
      }
    } finally {
      vi.useRealTimers();
    }
  });

  it("mints the other shapes: a token without kid, found by its x5t", async () => {
    const verifier = createNotificationVerifier(appId, {
      openIdConfigurationUrl: keys.openIdConfigurationUrl,
    });
    const token = await keys.mint({ header: { kid: undefined } });
    expect(decodeProtectedHeader(token).kid).toBeUndefined();
    await expect(verifier.verify(`Bearer ${token}`)).resolves.toMatchObject({ tenantId: testTenantId });
  });

  it("mints the other shapes: an Azure AD v1.0 token, RS512, with its issuer bound to the tenant", async () => {
    const aad = await createTestSigningKeys({
      appId,
      issuer: "https://sts.windows.net/{tenantid}/",
      algorithm: "RS512",
      lifetimeSeconds: 3600,
      openIdConfigurationUrl: "https://aad-keys.example/v1/.well-known/OpenIdConfiguration",
    });
    server.use(...aad.handlers);
    const verifier = createNotificationVerifier(appId, { keySources: [aad.keySource] });
    const token = await aad.mint({ claims: { ver: "1.0" } });
    expect(decodeProtectedHeader(token).alg).toBe("RS512");
    const { claims } = await verifier.verify(`Bearer ${token}`);
    expect(claims).toMatchObject({ iss: `https://sts.windows.net/${testTenantId}/`, ver: "1.0" });
  });

  it.each<[string, MintOptions, RegExp]>([
    ["expired", { expired: true }, /"exp" claim timestamp check failed/],
    ["not valid yet", { notYetValid: true }, /"nbf" claim timestamp check failed/],
    ["for another app", { audience: "another-app" }, /unexpected "aud" claim value/],
    ["from another issuer", { issuer: "https://evil.example" }, /unexpected "iss" claim value/],
    ["without a tenant", { tenant: false }, /no tenant claim/],
    ["signed with another key", { wrongKey: true }, /signature verification failed/],
    ["naming an unknown kid", { kid: "rotated-away" }, /no signing key matches/],
    ["without exp", { claims: { exp: undefined } }, /missing required "exp" claim/],
  ])("mints a token %s, which the verifier refuses", async (_, options, reason) => {
    const verifier = createNotificationVerifier(appId, {
      openIdConfigurationUrl: keys.openIdConfigurationUrl,
    });
    const refused = await verifier.verify(`Bearer ${await keys.mint(options)}`).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(NotificationAuthError);
    expect((refused as Error).message).toMatch(reason);
  });

  it("takes the other issuer Graph's samples accept, a tenant and a lifetime", async () => {
    const bf = await createTestSigningKeys({
      appId,
      issuer: "https://graph.microsoft.com",
      tenantId: "11111111-2222-3333-4444-555555555555",
      lifetimeSeconds: 60,
      openIdConfigurationUrl: "https://other-keys.example/v1/.well-known/OpenIdConfiguration",
    });
    server.use(...bf.handlers);
    const verifier = createNotificationVerifier(appId, { openIdConfigurationUrl: bf.openIdConfigurationUrl });
    const { claims } = await verifier.verify(`Bearer ${await bf.mint()}`);
    expect(claims).toMatchObject({
      iss: "https://graph.microsoft.com",
      tid: "11111111-2222-3333-4444-555555555555",
    });
    expect(Number(claims.exp) - Number(claims.nbf)).toBe(60);
    expect(bf.jwksUri).toBe("https://other-keys.example/v1/keys");
  });
});

describe("serveTestSigningKeys: the same keys on 127.0.0.1", () => {
  it("serves the configuration and JWKS to a verifier outside MSW, and close() stops it", async () => {
    const keyServer = await serveTestSigningKeys(keys);
    try {
      expect(keyServer.openIdConfigurationUrl).toMatch(
        /^http:\/\/127\.0\.0\.1:\d+\/v1\/\.well-known\/OpenIdConfiguration$/,
      );
      const config = await (await fetch(keyServer.openIdConfigurationUrl)).json();
      expect(config).toMatchObject({ issuer: keys.issuer, jwks_uri: keyServer.jwksUri });
      expect(await (await fetch(keyServer.jwksUri)).json()).toEqual(keys.jwks());
      expect((await fetch(`${keyServer.url}/elsewhere`)).status).toBe(404);
      expect((await fetch(keyServer.jwksUri, { method: "POST" })).status).toBe(405);
      const verifier = createNotificationVerifier(appId, {
        openIdConfigurationUrl: keyServer.openIdConfigurationUrl,
      });
      await expect(verifier.verify(`Bearer ${await keys.mint()}`)).resolves.toMatchObject({
        tenantId: testTenantId,
      });
    } finally {
      await keyServer.close();
      await keyServer.close(); // a second close is a no-op
    }
    await expect(fetch(keyServer.jwksUri)).rejects.toThrow(TypeError);
  });
});

describe("the Graph mock signs its notifications with the keys", () => {
  it("notify({ signer }) and createGraphHandlers({ notificationSigner }) pass a receiver with auth on", async () => {
    const tracker = createOperationTracker({ timeoutMs: 5_000 });
    const handle = createNotificationHandler({
      appId,
      auth: { openIdConfigurationUrl: keys.openIdConfigurationUrl },
      onNotification: tracker.handle,
    });
    const bot = await serveHandler(handle);
    try {
      const client = createCallsClient({
        token: "app-token",
        baseUrl: "https://graph.microsoft.com/v1.0",
        path: "/communications/calls/{callId}/cancelMediaProcessing",
      });
      const op = await client.cancelMediaProcessing(callId, {});
      const done = tracker.wait(op);
      const delivery = await graph.notify(op, { status: "completed", to: bot.url, signer: keys });
      expect(delivery.status).toBe(202);
      await expect(done).resolves.toMatchObject({ status: "completed", operationId: op.operationId });

      const signing = createGraphHandlers({ notificationSigner: keys, callbackUrl: bot.url });
      server.use(...signing.handlers);
      const second = await client.cancelMediaProcessing(callId, {});
      await expect(signing.notify(second, { status: "completed" })).resolves.toMatchObject({ status: 202 });

      const batch = graph.buildNotification(op, { status: "completed" });
      await expect(deliverNotifications(batch, { to: bot.url, signer: keys })).resolves.toMatchObject({
        status: 202,
      });
      // An expired token is refused: the signer is really what the bot checks.
      const expired = { mint: () => keys.mint({ expired: true }) };
      await expect(deliverNotifications(batch, { to: bot.url, signer: expired })).rejects.toMatchObject({
        status: 401,
      });
    } finally {
      server.resetHandlers(...keys.handlers, ...graph.handlers);
      await bot.close();
    }
  });
});

describe("options", () => {
  it.each<[string, () => Promise<unknown>, RegExp]>([
    [
      "createTestSigningKeys",
      () => createTestSigningKeys({ appID: appId } as never),
      /options.appID is not allowed \(did you mean "appId"\?\)/,
    ],
    [
      "createTestSigningKeys",
      () => createTestSigningKeys({ appId, tenantID: "x" } as never),
      /did you mean "tenantId"\?/,
    ],
    [
      "mint",
      () => keys.mint({ expird: true } as never),
      /options.expird is not allowed \(did you mean "expired"\?\)/,
    ],
    [
      "serveTestSigningKeys",
      () => serveTestSigningKeys(keys, { prot: 0 } as never),
      /options.prot is not allowed \(did you mean "port"\?\)/,
    ],
  ])("%s: a misspelt option is an InvalidArgumentError naming the nearest key", async (_, call, message) => {
    const error = await call().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toMatch(message);
  });

  it.each<[string, () => Promise<unknown>, RegExp]>([
    ["no appId", () => createTestSigningKeys({} as never), /options.appId must be a string, got undefined/],
    [
      "a zero lifetime",
      () => createTestSigningKeys({ appId, lifetimeSeconds: 0 }),
      /options.lifetimeSeconds must be an integer >= 1/,
    ],
    [
      "an HMAC algorithm",
      () => createTestSigningKeys({ appId, algorithm: "HS256" as never }),
      /options.algorithm must be RS256, RS384 or RS512, got HS256/,
    ],
    [
      "an empty caller app id",
      () => createTestSigningKeys({ appId, callerAppId: "" }),
      /options.callerAppId must not be empty/,
    ],
    [
      "a configuration URL that is not one",
      () => createTestSigningKeys({ appId, openIdConfigurationUrl: "keys" }),
      /options.openIdConfigurationUrl must be an absolute URL/,
    ],
    [
      // The receiver would refuse it (keys over plain http), so the kit refuses it up front.
      "a configuration URL on plain http to another host",
      () =>
        createTestSigningKeys({
          appId,
          openIdConfigurationUrl: "http://keys.example/v1/.well-known/OpenIdConfiguration",
        }),
      /options.openIdConfigurationUrl must be https: \(http: only on a loopback host\)/,
    ],
    ["an empty tenant", () => keys.mint({ tenant: "" }), /options.tenant must not be empty/],
    [
      "a port out of range",
      () => serveTestSigningKeys(keys, { port: 70_000 }),
      /options.port must be a port number/,
    ],
  ])("refuses %s", async (_, call, message) => {
    await expect(call()).rejects.toThrow(message);
  });
});
