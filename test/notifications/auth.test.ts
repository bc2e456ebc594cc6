import { base64url, SignJWT } from "jose";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createNotificationVerifier, type NotificationAuthOptions } from "../../src/notifications/auth.ts";
import { NotificationAuthError } from "../../src/notifications/errors.ts";
import {
  appId,
  graphClaims,
  type KeyServer,
  newSigningKey,
  type SigningKey,
  sign,
  startKeyServer,
  tenantId,
} from "../support/key-server.ts";

let server: KeyServer;
let key: SigningKey;
let stranger: SigningKey;

beforeAll(async () => {
  key = await newSigningKey("key-1");
  stranger = await newSigningKey("key-1"); // same kid, different key: a forger's
  server = await startKeyServer([key]);
});

afterAll(async () => {
  await server.close();
});

function verifier(options: NotificationAuthOptions = {}) {
  return createNotificationVerifier(appId, {
    openIdConfigurationUrl: server.openIdConfigurationUrl,
    fetchTimeoutMs: 2_000,
    ...options,
  });
}

async function rejection(promise: Promise<unknown>): Promise<NotificationAuthError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof NotificationAuthError)) {
    throw new Error(`expected NotificationAuthError, got ${String(error)}`);
  }
  return error;
}

describe("createNotificationVerifier", () => {
  it("accepts a good token and returns its claims and tenant", async () => {
    const result = await verifier().verify(`Bearer ${await sign(key)}`);
    expect(result.tenantId).toBe(tenantId);
    expect(result.claims).toMatchObject({ aud: appId, iss: "https://graph.microsoft.com" });
  });

  it("accepts the Bot Framework issuer and the long tenant claim", async () => {
    const claims = graphClaims({
      iss: "https://api.botframework.com",
      tid: undefined,
      "http://schemas.microsoft.com/identity/claims/tenantid": tenantId,
    });
    await expect(verifier().verify(`bearer ${await sign(key, claims)}`)).resolves.toMatchObject({ tenantId });
  });

  it.each([
    ["no header", undefined],
    ["an empty header", ""],
    ["Basic credentials", "Basic dXNlcjpwYXNz"],
    ["Bearer without a token", "Bearer "],
  ])("refuses %s as missing-token", async (_, header) => {
    expect(await rejection(verifier().verify(header))).toMatchObject({ failure: "missing-token" });
  });

  it("refuses alg none", async () => {
    const header = base64url.encode(JSON.stringify({ alg: "none", typ: "JWT" }));
    const payload = base64url.encode(JSON.stringify(graphClaims()));
    const error = await rejection(verifier().verify(`Bearer ${header}.${payload}.`));
    expect(error.failure).toBe("invalid-token");
  });

  it("refuses HS256, even keyed with the public key's modulus", async () => {
    const secret = new TextEncoder().encode(String(key.publicJwk.n));
    const token = await new SignJWT(graphClaims())
      .setProtectedHeader({ alg: "HS256", kid: key.kid })
      .sign(secret);
    const error = await rejection(verifier().verify(`Bearer ${token}`));
    expect(error).toMatchObject({
      failure: "invalid-token",
      message: "token rejected: signature algorithm not allowed",
    });
  });

  it.each([
    [
      "expired beyond the tolerance",
      { exp: Math.floor(Date.now() / 1000) - 120 },
      /"exp" claim timestamp check failed/,
    ],
    [
      "not valid before a future nbf",
      { nbf: Math.floor(Date.now() / 1000) + 600 },
      /"nbf" claim timestamp check failed/,
    ],
    ["for another audience", { aud: "another-app" }, /unexpected "aud" claim value/],
    ["from another issuer", { iss: "https://login.evil.example" }, /unexpected "iss" claim value/],
    ["without exp", { exp: undefined }, /missing required "exp" claim/],
    ["without a tenant claim", { tid: undefined }, /no tenant claim/],
    ["with an empty tenant claim", { tid: "" }, /no tenant claim/],
  ])("refuses a token %s", async (_, overrides, message) => {
    const error = await rejection(verifier().verify(`Bearer ${await sign(key, graphClaims(overrides))}`));
    expect(error.failure).toBe("invalid-token");
    expect(error.message).toMatch(message);
  });

  it("allows small clock skew (expired 30 s ago, tolerance 60 s)", async () => {
    const token = await sign(key, graphClaims({ exp: Math.floor(Date.now() / 1000) - 30 }));
    await expect(verifier().verify(`Bearer ${token}`)).resolves.toMatchObject({ tenantId });
    await expect(
      rejection(verifier({ clockToleranceSeconds: 0 }).verify(`Bearer ${token}`)),
    ).resolves.toMatchObject({
      failure: "invalid-token",
    });
  });

  it("refuses a tampered token", async () => {
    const [head, payload, signature] = (await sign(key)).split(".");
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload as string)));
    const forged = base64url.encode(
      JSON.stringify({ ...claims, tid: "00000000-0000-0000-0000-000000000000" }),
    );
    const error = await rejection(verifier().verify(`Bearer ${head}.${forged}.${signature}`));
    expect(error).toMatchObject({
      failure: "invalid-token",
      message: "token rejected: signature verification failed",
    });
  });

  it("refuses a token signed by another key under a known kid", async () => {
    const error = await rejection(verifier().verify(`Bearer ${await sign(stranger)}`));
    expect(error.message).toBe("token rejected: signature verification failed");
  });

  it.each(["not-a-jwt", "a.b.c", "x".repeat(20_000)])("refuses the malformed token %#", async (token) => {
    expect(await rejection(verifier().verify(`Bearer ${token}`))).toMatchObject({ failure: "invalid-token" });
  });

  it("applies the tenant allow-list, in any spelling of the id", async () => {
    const allowed = verifier({ allowedTenants: [tenantId.toUpperCase().replaceAll("-", "")] });
    await expect(allowed.verify(`Bearer ${await sign(key)}`)).resolves.toMatchObject({ tenantId });
    const other = verifier({ allowedTenants: ["11111111-1111-1111-1111-111111111111"] });
    expect((await rejection(other.verify(`Bearer ${await sign(key)}`))).message).toBe(
      "token rejected: tenant is not allowed",
    );
  });

  it("fetches the configuration and keys once, shared by concurrent first requests", async () => {
    const before = { config: server.configHits, jwks: server.jwksHits };
    const v = verifier();
    const token = `Bearer ${await sign(key)}`;
    await Promise.all(Array.from({ length: 20 }, () => v.verify(token)));
    await v.verify(token);
    expect(server.configHits - before.config).toBe(1);
    expect(server.jwksHits - before.jwks).toBe(1);
  });

  it("fetches the configuration and keys through the fetch it is given", async () => {
    const fetched: string[] = [];
    const v = verifier({
      fetch: (url, init) => {
        fetched.push(new URL(url).pathname);
        return fetch(url, init);
      },
    });
    await expect(v.verify(`Bearer ${await sign(key)}`)).resolves.toMatchObject({ tenantId });
    expect(fetched).toEqual(["/v1/.well-known/OpenIdConfiguration", "/keys"]);
  });

  it.each([
    ["HS256", { algorithms: ["HS256"] }],
    ["none", { algorithms: ["none"] }],
    ["no algorithms", { algorithms: [] }],
    ["no issuers", { issuers: [] }],
    ["a bad URL", { openIdConfigurationUrl: "not a url" }],
    ["a negative tolerance", { clockToleranceSeconds: -1 }],
    ["a zero fetch timeout", { fetchTimeoutMs: 0 }],
    ["an empty tenant allow-list", { allowedTenants: [] }],
    ["a fetch that is not a function", { fetch: "fetch" }],
  ])("refuses options with %s", (_, options) => {
    expect(() => createNotificationVerifier(appId, options as NotificationAuthOptions)).toThrow(TypeError);
  });

  it("refuses an empty appId", () => {
    expect(() => createNotificationVerifier("")).toThrow(/appId/);
  });
});

describe("key rotation and unreachable endpoints", () => {
  let local: KeyServer;
  beforeEach(async () => {
    local = await startKeyServer([key]);
  });
  afterEach(() => local.close());

  it("refetches the JWKS once on an unknown kid, then accepts the new key", async () => {
    const rotated = await newSigningKey("key-2");
    const v = createNotificationVerifier(appId, {
      openIdConfigurationUrl: local.openIdConfigurationUrl,
      keyRefetchCooldownMs: 0,
    });
    await v.verify(`Bearer ${await sign(key)}`);
    expect(local.jwksHits).toBe(1);
    local.keys = [key, rotated];
    await expect(v.verify(`Bearer ${await sign(rotated)}`)).resolves.toMatchObject({ tenantId });
    expect(local.jwksHits).toBe(2);
    const unknown = await newSigningKey("key-unknown");
    const error = await rejection(v.verify(`Bearer ${await sign(unknown)}`));
    expect(error).toMatchObject({
      failure: "invalid-token",
      message: "token rejected: no signing key matches the token's kid",
    });
    expect(local.jwksHits).toBe(3); // exactly one refetch for that token
    expect(local.configHits).toBe(1);
  });

  it("does not refetch within the cooldown, so unknown kids cannot hammer the JWKS endpoint", async () => {
    const v = createNotificationVerifier(appId, { openIdConfigurationUrl: local.openIdConfigurationUrl });
    await v.verify(`Bearer ${await sign(key)}`);
    const unknown = await newSigningKey("key-unknown");
    for (let i = 0; i < 5; i++) await rejection(v.verify(`Bearer ${await sign(unknown)}`));
    expect(local.jwksHits).toBe(1);
  });

  it("reports keys-unavailable (not a crash) when the JWKS endpoint is down", async () => {
    local.jwksDown = true;
    const v = createNotificationVerifier(appId, { openIdConfigurationUrl: local.openIdConfigurationUrl });
    const error = await rejection(v.verify(`Bearer ${await sign(key)}`));
    expect(error.failure).toBe("keys-unavailable");
    local.jwksDown = false;
    await expect(v.verify(`Bearer ${await sign(key)}`)).resolves.toMatchObject({ tenantId });
  });

  it("reports keys-unavailable when the OpenID configuration is down, unreachable or invalid", async () => {
    const token = `Bearer ${await sign(key)}`;
    local.configDown = true;
    const down = createNotificationVerifier(appId, {
      openIdConfigurationUrl: local.openIdConfigurationUrl,
    });
    expect(await rejection(down.verify(token))).toMatchObject({
      failure: "keys-unavailable",
      message: /HTTP 503/,
    });
    const invalid = createNotificationVerifier(appId, {
      openIdConfigurationUrl: `${new URL(local.openIdConfigurationUrl).origin}/keys`,
    });
    expect(await rejection(invalid.verify(token))).toMatchObject({
      failure: "keys-unavailable",
      message: /no valid jwks_uri/,
    });
    await local.close();
    const closed = createNotificationVerifier(appId, {
      openIdConfigurationUrl: local.openIdConfigurationUrl,
    });
    expect(await rejection(closed.verify(token))).toMatchObject({ failure: "keys-unavailable" });
  });

  it("keeps the last good keys while the configuration or the JWKS endpoint is down", async () => {
    const v = createNotificationVerifier(appId, {
      openIdConfigurationUrl: local.openIdConfigurationUrl,
      refreshIntervalMs: 0,
    });
    await v.verify(`Bearer ${await sign(key)}`);
    local.configDown = true;
    await expect(v.verify(`Bearer ${await sign(key)}`)).resolves.toMatchObject({ tenantId });
    await vi.waitFor(() => expect(local.configHits).toBeGreaterThanOrEqual(2));
    local.configDown = false;
    local.jwksDown = true;
    await expect(v.verify(`Bearer ${await sign(key)}`)).resolves.toMatchObject({ tenantId });
    await vi.waitFor(() => expect(local.jwksHits).toBeGreaterThanOrEqual(2));
    await expect(v.verify(`Bearer ${await sign(key)}`)).resolves.toMatchObject({ tenantId });
  });

  it("refreshes the keys in the background every refreshIntervalMs", async () => {
    const rotated = await newSigningKey("key-3");
    const v = createNotificationVerifier(appId, {
      openIdConfigurationUrl: local.openIdConfigurationUrl,
      refreshIntervalMs: 0, // every request starts a refresh
      keyRefetchCooldownMs: 60_000, // so the unknown-kid refetch cannot be what picks up the new key
    });
    await v.verify(`Bearer ${await sign(key)}`);
    await vi.waitFor(() => expect(local.jwksHits).toBe(1));
    local.keys = [rotated];
    await v.verify(`Bearer ${await sign(key)}`); // served by the old keys, starts a refresh
    await vi.waitFor(() => expect(local.jwksHits).toBeGreaterThanOrEqual(2));
    await vi.waitFor(async () =>
      expect((await v.verify(`Bearer ${await sign(rotated)}`)).tenantId).toBe(tenantId),
    );
  });
});
