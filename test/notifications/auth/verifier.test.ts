import { constants, sign as cryptoSign, KeyObject } from "node:crypto";
import { base64url, type JWTPayload, SignJWT } from "jose";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { InvalidArgumentError } from "../../../src/core/errors.ts";
import {
  cloudKeySources,
  graphCallingAppId,
  type MicrosoftCloud,
} from "../../../src/notifications/auth/clouds.ts";
import { keysUnavailableMessage } from "../../../src/notifications/auth/signing-keys.ts";
import {
  createNotificationVerifier,
  defaultOpenIdConfigurationUrl,
  type NotificationAuthOptions,
} from "../../../src/notifications/auth/verifier.ts";
import type { NotificationAuthError } from "../../../src/notifications/errors.ts";
import {
  appId,
  authFailure,
  graphClaims,
  type KeyServer,
  newSigningKey,
  type SigningKey,
  sign,
  startKeyServer,
  tenantId,
} from "../../support/key-server.ts";

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

function quiet() {
  return { warn: vi.fn(), info: vi.fn() };
}

/** The detail of a keys-unavailable error, kept for the log in its `cause`. */
function detailOf(error: NotificationAuthError): string {
  return error.cause instanceof Error ? error.cause.message : "";
}

function verifier(options: NotificationAuthOptions = {}) {
  return createNotificationVerifier(appId, {
    openIdConfigurationUrl: server.openIdConfigurationUrl,
    fetchTimeoutMs: 2_000,
    ...options,
  });
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
    expect(await authFailure(verifier().verify(header))).toMatchObject({ failure: "missing-token" });
  });

  it("refuses alg none", async () => {
    const header = base64url.encode(JSON.stringify({ alg: "none", typ: "JWT" }));
    const payload = base64url.encode(JSON.stringify(graphClaims()));
    const error = await authFailure(verifier().verify(`Bearer ${header}.${payload}.`));
    expect(error.failure).toBe("invalid-token");
  });

  it("refuses HS256, even keyed with the public key's modulus", async () => {
    const secret = new TextEncoder().encode(String(key.publicJwk.n));
    const token = await new SignJWT(graphClaims())
      .setProtectedHeader({ alg: "HS256", kid: key.kid })
      .sign(secret);
    const error = await authFailure(verifier().verify(`Bearer ${token}`));
    expect(error).toMatchObject({
      failure: "invalid-token",
      message: "token rejected: signature algorithm not allowed",
    });
  });

  it.each([
    [
      "expired beyond the tolerance",
      { exp: Math.floor(Date.now() / 1000) - 301 },
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
    [
      "with an exp that is not a number",
      { exp: String(Math.floor(Date.now() / 1000) + 600) },
      /"exp" claim must be a number/,
    ],
    ["with an nbf that is not a number", { nbf: "yesterday" }, /"nbf" claim must be a number/],
    [
      "with an audience list that does not name the app",
      { aud: ["another-app", "a-third"] },
      /unexpected "aud" claim value/,
    ],
    ["without a tenant claim", { tid: undefined }, /no tenant claim/],
    ["with an empty tenant claim", { tid: "" }, /no tenant claim/],
  ])("refuses a token %s", async (_, overrides, message) => {
    const error = await authFailure(verifier().verify(`Bearer ${await sign(key, graphClaims(overrides))}`));
    expect(error.failure).toBe("invalid-token");
    expect(error.message).toMatch(message);
  });

  it("allows 5 minutes of clock skew by default, as Microsoft's validators do (expired 200 s ago)", async () => {
    const token = await sign(key, graphClaims({ exp: Math.floor(Date.now() / 1000) - 200 }));
    await expect(verifier().verify(`Bearer ${token}`)).resolves.toMatchObject({ tenantId });
    await expect(
      authFailure(verifier({ clockToleranceSeconds: 0 }).verify(`Bearer ${token}`)),
    ).resolves.toMatchObject({
      failure: "invalid-token",
    });
  });

  it("accepts an audience list that names the app, and an nbf just past", async () => {
    const claims = graphClaims({ aud: ["another-app", appId], nbf: Math.floor(Date.now() / 1000) - 5 });
    await expect(verifier().verify(`Bearer ${await sign(key, claims)}`)).resolves.toMatchObject({ tenantId });
  });

  it("refuses a token with a critical header it does not understand", async () => {
    const header = {
      alg: "RS256",
      kid: key.kid,
      crit: ["urn:example:must-understand"],
      "urn:example:must-understand": 1,
    };
    const input = `${base64url.encode(JSON.stringify(header))}.${base64url.encode(JSON.stringify(graphClaims()))}`;
    const signature = cryptoSign("sha256", Buffer.from(input), KeyObject.from(key.privateKey as CryptoKey));
    const token = `${input}.${base64url.encode(signature)}`;
    expect(await authFailure(verifier().verify(`Bearer ${token}`))).toMatchObject({
      failure: "invalid-token",
      message: "token rejected: unsupported critical header",
    });
  });

  it.each(["[1,2]", "null", '"claims"', "{not json"])(
    "refuses a validly signed token whose payload %s is not a JSON object",
    async (payload) => {
      const header = base64url.encode(JSON.stringify({ alg: "RS256", kid: key.kid }));
      const input = `${header}.${base64url.encode(payload)}`;
      const signature = cryptoSign("sha256", Buffer.from(input), KeyObject.from(key.privateKey as CryptoKey));
      expect(
        await authFailure(verifier().verify(`Bearer ${input}.${base64url.encode(signature)}`)),
      ).toMatchObject({
        failure: "invalid-token",
        message: "token rejected: malformed token",
      });
    },
  );

  it("refuses a tampered token", async () => {
    const [head, payload, signature] = (await sign(key)).split(".");
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload as string)));
    const forged = base64url.encode(
      JSON.stringify({ ...claims, tid: "00000000-0000-0000-0000-000000000000" }),
    );
    const error = await authFailure(verifier().verify(`Bearer ${head}.${forged}.${signature}`));
    expect(error).toMatchObject({
      failure: "invalid-token",
      message: "token rejected: signature verification failed",
    });
  });

  it("refuses a token signed by another key under a known kid", async () => {
    const error = await authFailure(verifier().verify(`Bearer ${await sign(stranger)}`));
    expect(error.message).toBe("token rejected: signature verification failed");
  });

  it.each(["not-a-jwt", "a.b.c", "x".repeat(20_000)])("refuses the malformed token %#", async (token) => {
    expect(await authFailure(verifier().verify(`Bearer ${token}`))).toMatchObject({
      failure: "invalid-token",
    });
  });

  it("applies the tenant allow-list, in any spelling of the id", async () => {
    const allowed = verifier({ allowedTenants: [tenantId.toUpperCase().replaceAll("-", "")] });
    await expect(allowed.verify(`Bearer ${await sign(key)}`)).resolves.toMatchObject({ tenantId });
    const other = verifier({ allowedTenants: ["11111111-1111-1111-1111-111111111111"] });
    expect((await authFailure(other.verify(`Bearer ${await sign(key)}`))).message).toBe(
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
    ["HS256", { algorithms: ["HS256"] }, "auth.algorithms"],
    ["none", { algorithms: ["none"] }, "auth.algorithms"],
    ["no algorithms", { algorithms: [] }, "auth.algorithms"],
    ["no issuers", { issuers: [] }, "auth.issuers"],
    ["an empty issuer", { issuers: [""] }, "auth.issuers[0]"],
    ["a bad URL", { openIdConfigurationUrl: "not a url" }, "auth.openIdConfigurationUrl"],
    ["an ftp: URL", { openIdConfigurationUrl: "ftp://127.0.0.1/config" }, "auth.openIdConfigurationUrl"],
    ["a data: URL", { openIdConfigurationUrl: "data:application/json,{}" }, "auth.openIdConfigurationUrl"],
    [
      "plain http to another host",
      { openIdConfigurationUrl: new URL("http://api.aps.skype.com/v1/.well-known/OpenIdConfiguration") },
      "auth.openIdConfigurationUrl",
    ],
    ["a negative tolerance", { clockToleranceSeconds: -1 }, "auth.clockToleranceSeconds"],
    ["a zero fetch timeout", { fetchTimeoutMs: 0 }, "auth.fetchTimeoutMs"],
    ["an empty tenant allow-list", { allowedTenants: [] }, "auth.allowedTenants"],
    ["a fetch that is not a function", { fetch: "fetch" }, "auth.fetch"],
    ["a cache of no entries", { tokenCache: { maxEntries: 0 } }, "auth.tokenCache.maxEntries"],
    ["a cache of 1.5 entries", { tokenCache: { maxEntries: 1.5 } }, "auth.tokenCache.maxEntries"],
    ["a cache of no age", { tokenCache: { maxAgeMs: 0 } }, "auth.tokenCache.maxAgeMs"],
    ["a cache set to true", { tokenCache: true }, "auth.tokenCache"],
    ["a logger without warn()", { logger: { error: () => {} } }, "auth.logger.warn"],
    ["options that are not an object", "strict", "auth"],
  ])("refuses options with %s (InvalidArgumentError naming %s)", (_, options, argument) => {
    const create = () => createNotificationVerifier(appId, options as NotificationAuthOptions);
    expect(create).toThrow(InvalidArgumentError);
    expect(create).toThrow(expect.objectContaining({ argument }));
  });

  it.each([
    ["tokenCach", "tokenCache"],
    ["clockToleranceSecond", "clockToleranceSeconds"],
    ["openIdConfigurationURL", "openIdConfigurationUrl"],
  ])("refuses the misspelt option %s, naming %s", (misspelt, nearest) => {
    const create = () => createNotificationVerifier(appId, { [misspelt]: 1 } as NotificationAuthOptions);
    expect(create).toThrow(InvalidArgumentError);
    expect(create).toThrow(`auth.${misspelt} is not allowed (did you mean "${nearest}"?)`);
  });

  it("refuses a misspelt token cache bound, naming the nearest", () => {
    expect(() =>
      createNotificationVerifier(appId, { tokenCache: { maxEntry: 5 } as unknown as { maxEntries: number } }),
    ).toThrow('auth.tokenCache.maxEntry is not allowed (did you mean "maxEntries"?)');
  });

  it.each([
    "http://127.0.0.1:1/config",
    "http://127.8.9.10:1/config",
    "http://localhost:1/config",
    "http://[::1]:1/config",
    "https://login.example/config",
  ])("accepts the OpenID configuration URL %s", (url) => {
    expect(() => createNotificationVerifier(appId, { openIdConfigurationUrl: url })).not.toThrow();
  });

  it("takes fetchTimeoutMs: Infinity as no limit, as every timeoutMs of the kit does", async () => {
    const v = verifier({ fetchTimeoutMs: Number.POSITIVE_INFINITY });
    await expect(v.verify(`Bearer ${await sign(key)}`)).resolves.toMatchObject({ tenantId });
  });

  it("refuses an empty appId", () => {
    expect(() => createNotificationVerifier("")).toThrow(InvalidArgumentError);
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
    const error = await authFailure(v.verify(`Bearer ${await sign(unknown)}`));
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
    for (let i = 0; i < 5; i++) await authFailure(v.verify(`Bearer ${await sign(unknown)}`));
    expect(local.jwksHits).toBe(1);
  });

  it("reports keys-unavailable (not a crash) when the JWKS endpoint is down", async () => {
    local.jwksDown = true;
    const v = createNotificationVerifier(appId, {
      openIdConfigurationUrl: local.openIdConfigurationUrl,
      logger: quiet(),
    });
    const error = await authFailure(v.verify(`Bearer ${await sign(key)}`));
    expect(error).toMatchObject({ failure: "keys-unavailable", message: keysUnavailableMessage });
    expect(detailOf(error)).toMatch(/JWKS http:\/\/127\.0\.0\.1:\d+\/keys: fetch failed/);
  });

  it("reports keys-unavailable, without URL or library text, when the configuration is down, unreachable or invalid", async () => {
    const token = `Bearer ${await sign(key)}`;
    local.configDown = true;
    const down = createNotificationVerifier(appId, {
      openIdConfigurationUrl: local.openIdConfigurationUrl,
      logger: quiet(),
    });
    const refused = await authFailure(down.verify(token));
    expect(refused).toMatchObject({ failure: "keys-unavailable", message: keysUnavailableMessage });
    expect(refused.message).not.toMatch(/127\.0\.0\.1|HTTP|fetch/);
    expect(detailOf(refused)).toContain(`OpenID configuration ${local.openIdConfigurationUrl}: HTTP 503`);
    const invalid = createNotificationVerifier(appId, {
      openIdConfigurationUrl: `${new URL(local.openIdConfigurationUrl).origin}/keys`,
      logger: quiet(),
    });
    const noUri = await authFailure(invalid.verify(token));
    expect(noUri).toMatchObject({ failure: "keys-unavailable", message: keysUnavailableMessage });
    expect(detailOf(noUri)).toMatch(/no valid jwks_uri/);
    await local.close();
    const closed = createNotificationVerifier(appId, {
      openIdConfigurationUrl: local.openIdConfigurationUrl,
      logger: quiet(),
    });
    const unreachable = await authFailure(closed.verify(token));
    expect(unreachable).toMatchObject({ failure: "keys-unavailable", message: keysUnavailableMessage });
    expect(detailOf(unreachable)).toMatch(/fetch failed \(/);
  });

  it("keeps the last good keys while the configuration or the JWKS endpoint is down", async () => {
    const logger = quiet();
    const v = createNotificationVerifier(appId, {
      openIdConfigurationUrl: local.openIdConfigurationUrl,
      refreshIntervalMs: 0,
      tokenCache: false, // so the keys, not a cached verification, accept the token
      logger,
    });
    const token = `Bearer ${await sign(key)}`;
    await v.verify(token);
    local.configDown = true;
    await expect(v.verify(token)).resolves.toMatchObject({ tenantId });
    // The failed refresh runs in the background; its log line says when it has ended.
    await vi.waitFor(() => expect(logger.warn).toHaveBeenCalledTimes(1));
    expect(local.configHits).toBe(2);
    expect(logger.warn.mock.calls[0]?.[0]).toMatch(/HTTP 503; the last good keys stay in use/);
    local.configDown = false;
    local.jwksDown = true;
    // After the back-off (1 s) the next request starts a refresh, which fails on the JWKS.
    await vi.waitFor(
      async () => {
        await expect(v.verify(token)).resolves.toMatchObject({ tenantId });
        expect(local.jwksHits).toBeGreaterThanOrEqual(2);
      },
      { timeout: 5_000, interval: 100 },
    );
    await expect(v.verify(token)).resolves.toMatchObject({ tenantId });
    expect(logger.warn).toHaveBeenCalledTimes(1); // one outage, one log line
  });

  it("refreshes the keys in the background every refreshIntervalMs", async () => {
    const rotated = await newSigningKey("key-3");
    const v = createNotificationVerifier(appId, {
      openIdConfigurationUrl: local.openIdConfigurationUrl,
      refreshIntervalMs: 0, // every request starts a refresh
      keyRefetchCooldownMs: 60_000, // so the unknown-kid refetch cannot be what picks up the new key
      logger: quiet(), // the refresh in flight when the server closes fails
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

describe("signature algorithms and key selection", () => {
  const algorithms = ["RS384", "PS256", "PS512", "ES256", "ES384", "ES512", "EdDSA"] as const;
  let keys: SigningKey[];
  let local: KeyServer;
  beforeAll(async () => {
    keys = await Promise.all(algorithms.map((alg) => newSigningKey(`key-${alg}`, alg)));
    local = await startKeyServer(keys);
  });
  afterAll(() => local.close());

  function verifierFor(alg: string, options: NotificationAuthOptions = {}) {
    return createNotificationVerifier(appId, {
      openIdConfigurationUrl: local.openIdConfigurationUrl,
      algorithms: [alg],
      tokenCache: false,
      ...options,
    });
  }

  it.each(algorithms)("accepts %s when listed, and refuses its tampered tokens", async (alg) => {
    const signer = keys[algorithms.indexOf(alg)] as SigningKey;
    const v = verifierFor(alg);
    await expect(v.verify(`Bearer ${await sign(signer)}`)).resolves.toMatchObject({ tenantId });
    const [head, , signature] = (await sign(signer)).split(".");
    const forged = base64url.encode(
      JSON.stringify(graphClaims({ tid: "00000000-0000-0000-0000-000000000000" })),
    );
    expect(await authFailure(v.verify(`Bearer ${head}.${forged}.${signature}`))).toMatchObject({
      failure: "invalid-token",
      message: "token rejected: signature verification failed",
    });
  });

  it("refuses a PS256 signature whose salt is not the digest's length (RFC 7518 §3.5)", async () => {
    const ps256 = keys[algorithms.indexOf("PS256")] as SigningKey;
    const header = base64url.encode(JSON.stringify({ alg: "PS256", kid: ps256.kid }));
    const input = `${header}.${base64url.encode(JSON.stringify(graphClaims()))}`;
    const signature = cryptoSign("sha256", Buffer.from(input), {
      key: KeyObject.from(ps256.privateKey as CryptoKey),
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: 0,
    });
    expect(
      await authFailure(verifierFor("PS256").verify(`Bearer ${input}.${base64url.encode(signature)}`)),
    ).toMatchObject({
      message: "token rejected: signature verification failed",
    });
  });

  it("refuses an algorithm that is supported but not listed", async () => {
    const es256 = keys[algorithms.indexOf("ES256")] as SigningKey;
    expect(await authFailure(verifierFor("PS256").verify(`Bearer ${await sign(es256)}`))).toMatchObject({
      message: "token rejected: signature algorithm not allowed",
    });
  });

  it("refuses an ECDSA signature of the wrong length", async () => {
    const es256 = keys[algorithms.indexOf("ES256")] as SigningKey;
    const token = await sign(es256);
    expect(await authFailure(verifierFor("ES256").verify(`Bearer ${token}AAAA`))).toMatchObject({
      message: "token rejected: signature verification failed",
    });
  });

  it("refuses an algorithm it cannot check, naming the ones it can", () => {
    const create = () => createNotificationVerifier(appId, { algorithms: ["RS256", "ES256K"] });
    expect(create).toThrow(InvalidArgumentError);
    expect(create).toThrow(/auth\.algorithms has ES256K, which is not one of RS256, .*EdDSA/);
  });

  it.each([
    ["base64 padding after the signature", (t: string) => `${t}=`],
    ["a standard-base64 character in the signature", (t: string) => `${t.slice(0, -1)}+`],
    ["a fourth segment", (t: string) => `${t}.AAAA`],
    ["an empty payload", (t: string) => t.replace(/\.[^.]+\./, "..")],
  ])("refuses a token with %s as malformed, before any signature check", async (_, spoil) => {
    // Buffer's base64url decoder skips characters it does not know, so a spelling check must come first.
    const token = spoil(await sign(key));
    expect(await authFailure(verifier({ tokenCache: false }).verify(`Bearer ${token}`))).toMatchObject({
      failure: "invalid-token",
      message: "token rejected: malformed token",
    });
  });

  it("selects the key anew when a refresh replaced it under the same kid", async () => {
    const server = await startKeyServer([key]);
    try {
      const v = createNotificationVerifier(appId, {
        openIdConfigurationUrl: server.openIdConfigurationUrl,
        refreshIntervalMs: 0, // every request starts a refresh
        tokenCache: false,
        logger: quiet(),
      });
      await expect(v.verify(`Bearer ${await sign(key)}`)).resolves.toMatchObject({ tenantId });
      server.keys = [stranger]; // same kid, same header text, other key
      await vi.waitFor(async () =>
        expect((await v.verify(`Bearer ${await sign(stranger)}`)).tenantId).toBe(tenantId),
      );
      expect(await authFailure(v.verify(`Bearer ${await sign(key)}`))).toMatchObject({
        message: "token rejected: signature verification failed",
      });
    } finally {
      await server.close();
    }
  });

  it("refuses new tokens under a kid a refresh removed, though the header was seen before", async () => {
    const server = await startKeyServer([key]);
    try {
      const v = createNotificationVerifier(appId, {
        openIdConfigurationUrl: server.openIdConfigurationUrl,
        refreshIntervalMs: 0,
        keyRefetchCooldownMs: 60_000,
        tokenCache: false,
        logger: quiet(),
      });
      await v.verify(`Bearer ${await sign(key)}`);
      server.keys = [await newSigningKey("key-9")];
      await vi.waitFor(async () =>
        expect(
          await authFailure(v.verify(`Bearer ${await sign(key, graphClaims({ jti: "new" }))}`)),
        ).toMatchObject({
          message: "token rejected: no signing key matches the token's kid",
        }),
      );
    } finally {
      await server.close();
    }
  });
});

describe("defaults as Microsoft's validators have them", () => {
  let keys: SigningKey[];
  let rs512: SigningKey;
  let local: KeyServer;
  beforeAll(async () => {
    keys = await Promise.all(["a", "b", "c"].map((kid) => newSigningKey(`set-${kid}`)));
    rs512 = await newSigningKey("set-rs512", "RS512");
    local = await startKeyServer([...keys, rs512]);
  });
  afterAll(() => local.close());

  function defaults() {
    return createNotificationVerifier(appId, {
      openIdConfigurationUrl: local.openIdConfigurationUrl,
      logger: quiet(),
    });
  }

  /** A token signed by `signer` whose header has no kid (and an x5t when given). */
  function withoutKid(signer: SigningKey, x5t?: string) {
    return new SignJWT(graphClaims() as JWTPayload)
      .setProtectedHeader({ alg: signer.alg, typ: "JWT", ...(x5t === undefined ? {} : { x5t }) })
      .sign(signer.privateKey);
  }

  it("accepts a token 200 s past its exp (5 minutes of skew)", async () => {
    const token = await sign(
      keys[0] as SigningKey,
      graphClaims({ exp: Math.floor(Date.now() / 1000) - 200 }),
    );
    await expect(defaults().verify(`Bearer ${token}`)).resolves.toMatchObject({ tenantId });
  });

  it("accepts a token without kid against a three-key set, each key tried, with one JWKS fetch", async () => {
    const before = local.jwksHits;
    const v = defaults();
    for (const signer of keys) {
      await expect(v.verify(`Bearer ${await withoutKid(signer)}`)).resolves.toMatchObject({ tenantId });
    }
    expect(local.jwksHits - before).toBe(1);
  });

  it("tries at most 8 keys for a token without kid, and caches its verification like any other", async () => {
    const many = [
      ...keys,
      ...(await Promise.all(Array.from({ length: 6 }, (_, i) => newSigningKey(`more-${i}`)))),
    ];
    const server = await startKeyServer(many);
    try {
      const v = createNotificationVerifier(appId, {
        openIdConfigurationUrl: server.openIdConfigurationUrl,
        logger: quiet(),
      });
      const eighth = `Bearer ${await withoutKid(many[7] as SigningKey)}`;
      await v.verify(eighth);
      const cached = await v.verify(eighth); // admitted on its second verification
      await expect(v.verify(eighth)).resolves.toBe(cached);
      expect(await authFailure(v.verify(`Bearer ${await withoutKid(many[8] as SigningKey)}`))).toMatchObject({
        message: "token rejected: signature verification failed",
      });
    } finally {
      await server.close();
    }
  });

  it("refuses a token without kid that no key of the set signed", async () => {
    const outsider = await newSigningKey("outsider");
    expect(await authFailure(defaults().verify(`Bearer ${await withoutKid(outsider)}`))).toMatchObject({
      message: "token rejected: signature verification failed",
    });
  });

  it("selects by x5t when there is no kid; an unknown x5t refetches the JWKS once per cooldown", async () => {
    const signer = keys[1] as SigningKey;
    const thumbprinted = { ...signer, publicJwk: { ...signer.publicJwk, x5t: "thumb-b" } };
    const server = await startKeyServer([keys[0] as SigningKey, thumbprinted]);
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      const v = createNotificationVerifier(appId, {
        openIdConfigurationUrl: server.openIdConfigurationUrl,
        keyRefetchCooldownMs: 60_000,
        logger: quiet(),
      });
      const by = async (x5t: string) => v.verify(`Bearer ${await withoutKid(signer, x5t)}`);
      await expect(by("thumb-b")).resolves.toMatchObject({ tenantId });
      // An x5t the set does not list: every key is tried, and the JWKS refetched at most once per cooldown.
      await expect(by("thumb-new")).resolves.toMatchObject({ tenantId });
      expect(server.jwksHits).toBe(1);
      vi.setSystemTime(Date.now() + 60_000);
      await expect(by("thumb-new")).resolves.toMatchObject({ tenantId });
      await expect(by("thumb-newer")).resolves.toMatchObject({ tenantId });
      expect(server.jwksHits).toBe(2);
    } finally {
      vi.useRealTimers();
      await server.close();
    }
  });

  it("accepts RS512 and refuses HS256 by default", async () => {
    await expect(defaults().verify(`Bearer ${await sign(rs512)}`)).resolves.toMatchObject({ tenantId });
    const hs256 = await new SignJWT(graphClaims() as JWTPayload)
      .setProtectedHeader({ alg: "HS256", kid: rs512.kid })
      .sign(new TextEncoder().encode(String(rs512.publicJwk.n)));
    expect(await authFailure(defaults().verify(`Bearer ${hs256}`))).toMatchObject({
      message: "token rejected: signature algorithm not allowed",
    });
  });
});

describe("several key sources in one receiver", () => {
  const otherTenant = "3f1b4bd1-5c4e-4bb1-8e0b-2b4f5f2f7c11";
  let graphKey: SigningKey;
  let aadKey: SigningKey;
  let graph: KeyServer;
  let aad: KeyServer;
  beforeAll(async () => {
    [graphKey, aadKey] = await Promise.all([newSigningKey("graph-key"), newSigningKey("aad-key")]);
    [graph, aad] = await Promise.all([startKeyServer([graphKey]), startKeyServer([aadKey])]);
  });
  afterAll(async () => {
    await Promise.all([graph.close(), aad.close()]);
  });

  function receiver(options: NotificationAuthOptions = {}) {
    return createNotificationVerifier(appId, {
      keySources: [
        { openIdConfigurationUrl: graph.openIdConfigurationUrl, issuers: ["https://api.botframework.com"] },
        {
          openIdConfigurationUrl: aad.openIdConfigurationUrl,
          issuers: [
            "https://sts.windows.net/{tenantid}/",
            "https://login.microsoftonline.com/{tenantid}/v2.0",
          ],
          allowedAppIds: [graphCallingAppId],
        },
      ],
      logger: quiet(),
      ...options,
    });
  }
  const graphIssued = (claims: Record<string, unknown> = {}) =>
    sign(graphKey, graphClaims({ iss: "https://api.botframework.com", ...claims }));
  /** An Azure AD v1.0 token as the 2018 Graph docs show one: issuer of the tenant, appid of Graph's calling service. */
  const aadIssued = (claims: Record<string, unknown> = {}, signer = aadKey) =>
    sign(
      signer,
      graphClaims({
        iss: `https://sts.windows.net/${tenantId}/`,
        appid: graphCallingAppId,
        ver: "1.0",
        ...claims,
      }),
    );

  it("accepts an Azure-AD-issued token beside a Graph-issued one, each checked with its own source's keys", async () => {
    const v = receiver();
    await expect(v.verify(`Bearer ${await graphIssued()}`)).resolves.toMatchObject({ tenantId });
    await expect(v.verify(`Bearer ${await aadIssued()}`)).resolves.toMatchObject({ tenantId });
    const v2 = await aadIssued({
      iss: `https://login.microsoftonline.com/${tenantId}/v2.0`,
      appid: undefined,
      azp: graphCallingAppId,
    });
    await expect(v.verify(`Bearer ${v2}`)).resolves.toMatchObject({ tenantId });
  });

  it("refuses a token whose issuer names one source but whose key is the other's", async () => {
    const v = receiver();
    const crossed = await aadIssued({}, graphKey);
    expect(await authFailure(v.verify(`Bearer ${crossed}`))).toMatchObject({ failure: "invalid-token" });
  });

  it("binds {tenantid} to the token's own tid", async () => {
    const v = receiver();
    const otherIssuer = await aadIssued({ iss: `https://sts.windows.net/${otherTenant}/` });
    expect(await authFailure(v.verify(`Bearer ${otherIssuer}`))).toMatchObject({
      message: 'token rejected: unexpected "iss" claim value',
    });
    const literal = await aadIssued({ iss: "https://sts.windows.net/{tenantid}/" });
    expect(await authFailure(v.verify(`Bearer ${literal}`))).toMatchObject({ failure: "invalid-token" });
  });

  it("refuses an Azure AD token another app requested for the bot", async () => {
    const v = receiver();
    for (const claims of [{ appid: "0d5a5f2e-0000-4000-8000-000000000001" }, { appid: undefined }]) {
      expect(await authFailure(v.verify(`Bearer ${await aadIssued(claims)}`))).toMatchObject({
        message: "token rejected: the requesting app (appid) is not allowed",
      });
    }
  });

  it("offers a preset for each Microsoft cloud, with https key URLs only", () => {
    for (const [cloud, sources] of Object.entries(cloudKeySources)) {
      expect(() => createNotificationVerifier(appId, { cloud: cloud as MicrosoftCloud })).not.toThrow();
      for (const source of sources) expect(String(source.openIdConfigurationUrl)).toMatch(/^https:\/\//);
    }
    expect(cloudKeySources.public.map((s) => s.openIdConfigurationUrl)).toContain(
      defaultOpenIdConfigurationUrl,
    );
  });

  it.each([
    [{ cloud: "mars" }, "auth.cloud", /must be one of public, gcc, gccHigh, dod, china/],
    [{ cloud: "gcc", openIdConfigurationUrl: "https://a.example/x" }, "auth.cloud", /cannot be combined/],
    [{ keySources: [], issuers: ["x"] }, "auth.keySources", /cannot be combined/],
    [{ keySources: [] }, "auth.keySources", /must not be empty/],
    [
      { keySources: [{ openIdConfigurationUrl: "https://a.example/x", issuer: ["x"] }] },
      "auth.keySources[0].issuer",
      /did you mean "issuers"/,
    ],
    [
      { keySources: [{ openIdConfigurationUrl: "http://a.example/x", issuers: ["x"] }] },
      "auth.keySources[0].openIdConfigurationUrl",
      /https/,
    ],
    [
      { keySources: [{ openIdConfigurationUrl: "https://a.example/x", issuers: ["x"], allowedAppIds: [] }] },
      "auth.keySources[0].allowedAppIds",
      /must not be empty/,
    ],
  ])("refuses the options %j, naming %s", (options, argument, message) => {
    const create = () => createNotificationVerifier(appId, options as NotificationAuthOptions);
    expect(create).toThrow(InvalidArgumentError);
    expect(create).toThrow(expect.objectContaining({ argument }));
    expect(create).toThrow(message);
  });
});

describe("claim rules beyond RFC 7519", () => {
  const now = () => Math.floor(Date.now() / 1000);

  it.each([
    ["a ten-year lifetime", { exp: now() + 10 * 365 * 86_400 }, /token lifetime exceeds 7200 s/],
    [
      "a ten-year lifetime and no iat or nbf",
      { iat: undefined, nbf: undefined, exp: now() + 10 * 365 * 86_400 },
      /token lifetime exceeds/,
    ],
    ["an iat a day ahead", { iat: now() + 86_400, nbf: undefined }, /"iat" claim timestamp check failed/],
    ["an iat that is not a number", { iat: "today" }, /"iat" claim must be a number/],
    ["a tid that is not a GUID", { tid: "contoso.onmicrosoft.com" }, /tenant claim \(tid\) is not a GUID/],
  ])("refuses a token with %s", async (_, overrides, message) => {
    const error = await authFailure(verifier().verify(`Bearer ${await sign(key, graphClaims(overrides))}`));
    expect(error).toMatchObject({ failure: "invalid-token" });
    expect(error.message).toMatch(message);
  });

  it("accepts an iat within the tolerance ahead, and a lifetime at the limit", async () => {
    const ahead = graphClaims({ iat: now() + 200, nbf: undefined, exp: now() + 300 });
    await expect(verifier().verify(`Bearer ${await sign(key, ahead)}`)).resolves.toMatchObject({ tenantId });
    const long = graphClaims({ iat: now(), exp: now() + 600 });
    const strict = verifier({ maxTokenLifetimeSeconds: 600 });
    await expect(strict.verify(`Bearer ${await sign(key, long)}`)).resolves.toMatchObject({ tenantId });
    const longer = graphClaims({ iat: now(), exp: now() + 601 });
    expect(await authFailure(strict.verify(`Bearer ${await sign(key, longer)}`))).toMatchObject({
      message: "token rejected: token lifetime exceeds 600 s",
    });
  });

  it("applies an allow-list of the requesting service's appid, in any spelling", async () => {
    const v = verifier({ allowedAppIds: [graphCallingAppId.toUpperCase()] });
    const graphs = await sign(key, graphClaims({ appid: graphCallingAppId }));
    await expect(v.verify(`Bearer ${graphs}`)).resolves.toMatchObject({ tenantId });
    for (const appid of ["0d5a5f2e-0000-4000-8000-000000000001", undefined]) {
      expect(await authFailure(v.verify(`Bearer ${await sign(key, graphClaims({ appid }))}`))).toMatchObject({
        message: "token rejected: the requesting app (appid) is not allowed",
      });
    }
  });
});
