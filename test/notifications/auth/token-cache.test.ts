/**
 * The verified-token cache (issue 14, item 2): a hit only for the exact token, `exp`/`nbf` checked
 * on every hit, entries dropped when their key leaves the JWKS, bounded, and failures never cached.
 * A hit is observed as the very same result object (a miss verifies afresh and builds a new one).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createTokenCache, type TokenCache } from "../../../src/notifications/auth/token-cache.ts";
import {
  createCachingVerifier,
  createNotificationVerifier,
  type NotificationAuthOptions,
  type NotificationVerifier,
  type VerifiedToken,
} from "../../../src/notifications/auth/verifier.ts";
import { NotificationAuthError } from "../../../src/notifications/errors.ts";
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

let key: SigningKey;
let rotated: SigningKey;
let impostor: SigningKey;
let local: KeyServer;

beforeAll(async () => {
  [key, rotated, impostor] = await Promise.all([
    newSigningKey("key-1"),
    newSigningKey("key-2"),
    newSigningKey("key-1"), // same kid, other key material
  ]);
});

beforeEach(async () => {
  local = await startKeyServer([key]);
});

afterEach(async () => {
  vi.useRealTimers();
  await local.close();
});

afterAll(() => vi.useRealTimers());

/** The options every verifier of these tests is made with, the local key server's among them. */
function localOptions(options: NotificationAuthOptions): NotificationAuthOptions {
  return {
    openIdConfigurationUrl: local.openIdConfigurationUrl,
    fetchTimeoutMs: 2_000,
    logger: { warn: vi.fn(), info: vi.fn() },
    ...options,
  };
}

function verifier(options: NotificationAuthOptions = {}) {
  return createNotificationVerifier(appId, localOptions(options));
}

/**
 * Verifies `token` twice, so that the cache holds it (a token is admitted on its second
 * verification), and returns the cached result.
 */
async function admit(v: NotificationVerifier, token: string): Promise<VerifiedToken> {
  await v.verify(token);
  return v.verify(token);
}

const nowSeconds = () => Math.floor(Date.now() / 1000);
/** How long to wait for a background refresh on a loaded machine. */
const patience = { timeout: 5_000, interval: 50 };

describe("the verified-token cache", () => {
  it("reuses a verification for the same token, and verifies afresh with the cache off", async () => {
    const token = `Bearer ${await sign(key)}`;
    const cached = verifier();
    const first = await admit(cached, token);
    await expect(cached.verify(token)).resolves.toBe(first);
    await expect(cached.verify(token.replace("Bearer", "bearer"))).resolves.toBe(first);
    const uncached = verifier({ tokenCache: false });
    const fresh = await uncached.verify(token);
    expect(fresh).toEqual(first);
    expect(await uncached.verify(token)).not.toBe(fresh);
  });

  it("caches a token on its second verification, not its first (tokens that never come back fill no entries)", async () => {
    const token = `Bearer ${await sign(key)}`;
    const v = verifier();
    const first = await v.verify(token);
    const second = await v.verify(token);
    expect(second).not.toBe(first); // verified in full again, and now cached
    expect(second).toEqual(first);
    await expect(v.verify(token)).resolves.toBe(second);
  });

  it("hands out frozen claims, so one request cannot change what the next one sees", async () => {
    const { claims } = await verifier().verify(`Bearer ${await sign(key)}`);
    expect(Object.isFrozen(claims)).toBe(true);
    expect(() => {
      (claims as Record<string, unknown>).tid = "someone-else";
    }).toThrow(TypeError);
  });

  it("freezes nested claims too", async () => {
    const deep = JSON.parse(`${"[".repeat(100)}1${"]".repeat(100)}`);
    const { claims } = await verifier().verify(
      `Bearer ${await sign(key, graphClaims({ groups: ["a"], deep }))}`,
    );
    expect(Object.isFrozen(claims.groups)).toBe(true);
    let inner: unknown = claims.deep;
    while (Array.isArray(inner) && Array.isArray(inner[0])) inner = inner[0];
    expect(Object.isFrozen(inner)).toBe(true);
  });

  it("refuses a cached token once it is past exp (beyond the clock tolerance)", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const exp = nowSeconds() - 100; // passed, but within the tolerance
    const token = `Bearer ${await sign(key, graphClaims({ exp }))}`;
    const v = verifier();
    const first = await admit(v, token);
    vi.setSystemTime((exp + 299) * 1000); // inside the 300 s tolerance: still the cached result
    await expect(v.verify(token)).resolves.toBe(first);
    vi.setSystemTime((exp + 300) * 1000);
    expect(await authFailure(v.verify(token))).toMatchObject({
      failure: "invalid-token",
      message: 'token rejected: "exp" claim timestamp check failed',
    });
  });

  it("applies the configured clock tolerance to cached tokens too", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const exp = nowSeconds() + 120;
    const token = `Bearer ${await sign(key, graphClaims({ exp }))}`;
    const v = verifier({ clockToleranceSeconds: 0 });
    await admit(v, token);
    vi.setSystemTime(exp * 1000);
    expect(await authFailure(v.verify(token))).toMatchObject({ failure: "invalid-token" });
  });

  it("refuses a cached token when the clock goes back before its nbf", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const nbf = nowSeconds();
    const token = `Bearer ${await sign(key, graphClaims({ nbf }))}`;
    const v = verifier();
    await admit(v, token);
    vi.setSystemTime((nbf - 301) * 1000);
    expect(await authFailure(v.verify(token))).toMatchObject({
      failure: "invalid-token",
      message: 'token rejected: "nbf" claim timestamp check failed',
    });
  });

  it("refuses a cached token after a refresh removed its kid from the JWKS", async () => {
    const token = `Bearer ${await sign(key)}`;
    const v = verifier({ refreshIntervalMs: 0, keyRefetchCooldownMs: 60_000 });
    await admit(v, token);
    local.keys = [rotated];
    // The request that finds the keys due for refresh is still served (last good keys, as
    // without a cache), and starts the refresh.
    await expect(v.verify(token)).resolves.toMatchObject({ tenantId });
    await vi.waitFor(() => expect(local.jwksHits).toBeGreaterThanOrEqual(2), patience);
    await vi.waitFor(
      async () =>
        expect(await authFailure(v.verify(token))).toMatchObject({
          failure: "invalid-token",
          message: "token rejected: no signing key matches the token's kid",
        }),
      patience,
    );
    await expect(v.verify(`Bearer ${await sign(rotated)}`)).resolves.toMatchObject({ tenantId });
  });

  it("refuses a cached token after a refresh replaced the key under its kid", async () => {
    const token = `Bearer ${await sign(key)}`;
    const v = verifier({ refreshIntervalMs: 0 });
    await admit(v, token);
    local.keys = [impostor];
    await v.verify(token).catch(() => undefined);
    await vi.waitFor(
      async () =>
        expect(await authFailure(v.verify(token))).toMatchObject({
          message: "token rejected: signature verification failed",
        }),
      patience,
    );
  });

  it("notices a removed kid on cache hits alone (hits start the due refresh)", async () => {
    const token = `Bearer ${await sign(key)}`;
    const v = verifier({ refreshIntervalMs: 0 });
    const first = await admit(v, token);
    local.keys = [rotated];
    // Every request is a hit; without a refresh started by hits the key set would never change.
    await vi.waitFor(async () => {
      const outcome = await v.verify(token).catch((e: unknown) => e);
      expect(outcome).not.toBe(first);
      expect(outcome).toBeInstanceOf(NotificationAuthError);
    }, patience);
  });

  it("does not hit for a forged token differing by one byte, and refuses it", async () => {
    const token = await sign(key);
    const v = verifier();
    const first = await admit(v, `Bearer ${token}`);
    const [head, payload, signature = ""] = token.split(".");
    const middle = Math.floor(signature.length / 2);
    const flipped = signature[middle] === "A" ? "B" : "A";
    const forged = `${head}.${payload}.${signature.slice(0, middle)}${flipped}${signature.slice(middle + 1)}`;
    expect(forged).toHaveLength(token.length);
    expect(await authFailure(v.verify(`Bearer ${forged}`))).toMatchObject({
      failure: "invalid-token",
      message: "token rejected: signature verification failed",
    });
    await expect(v.verify(`Bearer ${token}`)).resolves.toBe(first); // the real one still hits
  });

  it("does not cache failures: a token refused before its nbf is accepted once it is valid", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const nbf = nowSeconds() + 330; // beyond the 300 s tolerance
    const token = `Bearer ${await sign(key, graphClaims({ nbf }))}`;
    const v = verifier();
    expect(await authFailure(v.verify(token))).toMatchObject({ failure: "invalid-token" });
    vi.setSystemTime((nbf - 300) * 1000); // well inside the cache's maxAgeMs
    await expect(v.verify(token)).resolves.toMatchObject({ tenantId });
  });

  it("does not cache failures: a token refused while the keys were unavailable is accepted after", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    local.configDown = true;
    const token = `Bearer ${await sign(key)}`;
    const v = verifier();
    expect(await authFailure(v.verify(token))).toMatchObject({ failure: "keys-unavailable" });
    local.configDown = false;
    vi.setSystemTime(Date.now() + 1_000);
    await expect(v.verify(token)).resolves.toMatchObject({ tenantId });
  });

  it("verifies afresh once an entry is older than maxAgeMs", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const token = `Bearer ${await sign(key)}`;
    const v = verifier({ tokenCache: { maxAgeMs: 60_000 } });
    const first = await admit(v, token);
    vi.setSystemTime(Date.now() + 59_999);
    await expect(v.verify(token)).resolves.toBe(first);
    vi.setSystemTime(Date.now() + 1);
    const second = await v.verify(token);
    expect(second).not.toBe(first);
    expect(second).toEqual(first);
  });

  it("keeps at most maxEntries tokens, dropping the least recently used", async () => {
    const v = verifier({ tokenCache: { maxEntries: 2 } });
    const [a, b, c] = await Promise.all(
      ["a", "b", "c"].map(async (jti) => `Bearer ${await sign(key, graphClaims({ jti }))}`),
    );
    const first = { a: await admit(v, a as string), b: await admit(v, b as string) };
    await expect(v.verify(a as string)).resolves.toBe(first.a); // a is now the most recently used
    await admit(v, c as string); // evicts b
    await expect(v.verify(a as string)).resolves.toBe(first.a);
    expect(await v.verify(b as string)).not.toBe(first.b);
  });
});

describe("the handler's verifyNow: a cached verification without a promise", () => {
  function caching(options: NotificationAuthOptions = {}) {
    return createCachingVerifier(appId, localOptions(options));
  }

  /** What verifyNow gave: the result itself (a hit), or "promise" (after letting it settle). */
  async function kindOf(outcome: unknown): Promise<unknown> {
    if (!(outcome instanceof Promise)) return outcome;
    await outcome.catch(() => undefined);
    return "promise";
  }

  it("answers the very verification verify() cached at once, anything else with a promise", async () => {
    const token = `Bearer ${await sign(key)}`;
    const v = caching();
    expect(await kindOf(v.verifyNow(token))).toBe("promise"); // not verified yet
    const first = await admit(v, token);
    expect(v.verifyNow(token)).toBe(first);
    expect(v.verifyNow(token.replace("Bearer ", "bearer \t"))).toBe(first);
    expect(await kindOf(v.verifyNow(`Bearer ${await sign(rotated)}`))).toBe("promise");
  });

  it.each([undefined, null, "", "Basic dXNlcjpwYXNz", "Bearer "])(
    "throws a missing token (%j) at once, as verify() rejects it",
    async (header) => {
      const v = caching();
      expect(() => v.verifyNow(header)).toThrow(expect.objectContaining({ failure: "missing-token" }));
      expect(await authFailure(v.verify(header))).toMatchObject({ failure: "missing-token" });
    },
  );

  it("answers with a promise every time with the cache off", async () => {
    const token = `Bearer ${await sign(key)}`;
    const v = caching({ tokenCache: false });
    await admit(v, token);
    expect(await kindOf(v.verifyNow(token))).toBe("promise");
  });

  it("refuses a cached token past exp, through a full verification", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const exp = nowSeconds() + 30;
    const token = `Bearer ${await sign(key, graphClaims({ exp }))}`;
    const v = caching({ clockToleranceSeconds: 0 });
    const first = await admit(v, token);
    expect(v.verifyNow(token)).toBe(first);
    vi.setSystemTime(exp * 1000);
    expect(await authFailure(Promise.resolve(v.verifyNow(token)))).toMatchObject({
      message: 'token rejected: "exp" claim timestamp check failed',
    });
  });

  it("starts the due key refresh, so hits alone notice a removed kid", async () => {
    const token = `Bearer ${await sign(key)}`;
    const v = caching({ refreshIntervalMs: 0 });
    const first = await admit(v, token);
    local.keys = [rotated];
    await vi.waitFor(async () => expect(await kindOf(v.verifyNow(token))).not.toBe(first), patience);
  });
});

describe("createTokenCache", () => {
  const published = () => true;
  const entry = (result: number, key = "k") => ({
    result,
    exp: nowSeconds() + 3600,
    nbf: undefined,
    key,
  });
  /** Sets an entry twice, as two verifications of its token would: the second is stored. */
  function store(cache: TokenCache<number, string>, token: string, value: ReturnType<typeof entry>) {
    cache.set(token, value);
    cache.set(token, value);
  }

  it("stores a token on its second set, and keeps only a bounded number of tokens seen once", () => {
    const cache = createTokenCache<number, string>({ maxEntries: 2, maxAgeMs: 60_000 }, 60, published);
    cache.set("x", entry(1));
    expect([cache.size, cache.get("x")]).toEqual([0, undefined]);
    cache.set("x", entry(1));
    expect([cache.size, cache.get("x")]).toEqual([1, 1]);
    // Tokens seen once are remembered up to maxEntries (2), then forgotten all at once.
    cache.set("y", entry(2));
    cache.set("z", entry(3));
    cache.set("w", entry(4)); // y and z are forgotten, w is remembered
    cache.set("y", entry(2)); // seen once again: not stored
    expect(cache.get("y")).toBeUndefined();
    cache.set("w", entry(4)); // remembered: stored
    expect(cache.get("w")).toBe(4);
    expect(cache.size).toBe(2);
  });

  it("tells apart tokens that share all but their signatures, as a key's tokens do", () => {
    const cache = createTokenCache<number, string>({ maxEntries: 10, maxAgeMs: 60_000 }, 60, published);
    const signed = (signature: string) => `${"h".repeat(900)}.${signature.repeat(43)}`;
    cache.set(signed("a"), entry(1));
    cache.set(signed("b"), entry(2)); // a first sight too, not the second of signed("a")
    expect([cache.size, cache.get(signed("b"))]).toEqual([0, undefined]);
    cache.set(signed("a"), entry(1));
    expect(cache.get(signed("a"))).toBe(1);
  });

  it("holds at most maxEntries, evicting the least recently used one per insert", () => {
    const cache = createTokenCache<number, string>({ maxEntries: 1000, maxAgeMs: 60_000 }, 60, published);
    for (let i = 0; i < 5000; i++) {
      store(cache, `t${i}`, entry(i));
      expect(cache.size).toBe(Math.min(i + 1, 1000));
    }
    expect(cache.get("t3999")).toBeUndefined();
    expect(cache.get("t4000")).toBe(4000);
    expect(cache.get("t4999")).toBe(4999);
  });

  it("serves the token looked up last again and again, keeping least-recently-used eviction exact", () => {
    const cache = createTokenCache<number, string>({ maxEntries: 2, maxAgeMs: 60_000 }, 60, published);
    store(cache, "a", entry(1));
    store(cache, "b", entry(2));
    expect(cache.get("a")).toBe(1); // a is now the most recent: c evicts b
    expect(cache.get("a")).toBe(1);
    store(cache, "c", entry(3));
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")).toBe(1);
    store(cache, "d", entry(4)); // evicts c, the least recent
    store(cache, "e", entry(5)); // evicts a, which was looked up last before d and e
    expect(cache.get("a")).toBeUndefined();
    expect(cache.get("e")).toBe(5);
    expect(cache.size).toBe(2);
  });

  it("drops an entry whose key is no longer published", () => {
    const keys = new Set(["k1", "k2"]);
    const cache = createTokenCache<number, string>({ maxEntries: 10, maxAgeMs: 60_000 }, 60, (key) =>
      keys.has(key),
    );
    store(cache, "a", entry(1, "k1"));
    store(cache, "b", entry(2, "k2"));
    expect(cache.size).toBe(2);
    keys.delete("k1");
    expect(cache.get("a")).toBeUndefined();
    expect(cache.get("b")).toBe(2);
    expect(cache.size).toBe(1);
  });
});
