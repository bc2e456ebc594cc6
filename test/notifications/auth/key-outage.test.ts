/**
 * Signing-key outages (issue 12, rows 5 and 6; issue 13, item 5): fetches back off and are shared
 * by every request, the outage and the recovery are logged once, refusals carry no internal detail,
 * and the key URLs must be https (http only on loopback).
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it, type Mock, vi } from "vitest";
import {
  keysUnavailableMessage,
  maxBackoffMs,
  minBackoffMs,
} from "../../../src/notifications/auth/signing-keys.ts";
import {
  createNotificationVerifier,
  type NotificationAuthOptions,
} from "../../../src/notifications/auth/verifier.ts";
import {
  appId,
  authFailure,
  type KeyServer,
  newSigningKey,
  type SigningKey,
  sign,
  startKeyServer,
  tenantId,
} from "../../support/key-server.ts";

let key: SigningKey;
let stranger: SigningKey;
let local: KeyServer;
type LogMethod = (message: string, ...details: unknown[]) => void;
let logger: { warn: Mock<LogMethod>; info: Mock<LogMethod> };

beforeAll(async () => {
  key = await newSigningKey("key-1");
  stranger = await newSigningKey("stranger");
});

beforeEach(async () => {
  local = await startKeyServer([key]);
  logger = { warn: vi.fn<LogMethod>(), info: vi.fn<LogMethod>() };
});

afterEach(async () => {
  vi.useRealTimers();
  await local.close();
});

function verifier(options: NotificationAuthOptions = {}) {
  return createNotificationVerifier(appId, {
    openIdConfigurationUrl: local.openIdConfigurationUrl,
    fetchTimeoutMs: 2_000,
    logger,
    ...options,
  });
}

/** A well-formed token signed by a key the JWKS does not have, under a kid of its own: junk. */
function junk(i: number): Promise<string> {
  return sign({ ...stranger, kid: `junk-${i}` }).then((token) => `Bearer ${token}`);
}

describe("key fetching during an outage", () => {
  it("lets 50 junk-token requests cause one configuration fetch while it is down, logged once", async () => {
    local.configDown = true;
    const v = verifier();
    const tokens = await Promise.all(Array.from({ length: 50 }, (_, i) => junk(i)));
    const sequential = [];
    for (const token of tokens.slice(0, 25)) sequential.push(await authFailure(v.verify(token)));
    const concurrent = await Promise.all(tokens.slice(25).map((token) => authFailure(v.verify(token))));
    for (const error of [...sequential, ...concurrent]) {
      expect(error).toMatchObject({ failure: "keys-unavailable", message: keysUnavailableMessage });
    }
    expect(local.configHits).toBeLessThanOrEqual(2);
    expect(local.jwksHits).toBe(0);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0]?.[0]).toContain(`${local.openIdConfigurationUrl}: HTTP 503`);
    expect(logger.warn.mock.calls[0]?.[0]).toMatch(/tokens are refused \(keys-unavailable\)/);
    expect(logger.info).not.toHaveBeenCalled();
  });

  it("shares one fetch among concurrent first requests while the endpoint is slow to fail", async () => {
    local.jwksDown = true;
    const v = verifier();
    const tokens = await Promise.all(Array.from({ length: 20 }, (_, i) => junk(i)));
    await Promise.all(tokens.map((token) => authFailure(v.verify(token))));
    expect(local.configHits).toBe(1);
    expect(local.jwksHits).toBe(1);
  });

  it("succeeds after the back-off once the endpoint recovers, and logs the recovery once", async () => {
    local.configDown = true;
    const v = verifier();
    const good = `Bearer ${await sign(key)}`;
    await authFailure(v.verify(good));
    local.configDown = false;
    // Still inside the first back-off: refused without a fetch.
    expect(await authFailure(v.verify(good))).toMatchObject({ failure: "keys-unavailable" });
    expect(local.configHits).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, minBackoffMs + 100));
    await expect(v.verify(good)).resolves.toMatchObject({ tenantId });
    await expect(v.verify(`Bearer ${await sign(key)}`)).resolves.toMatchObject({ tenantId });
    expect(local.configHits).toBe(2);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.info).toHaveBeenCalledTimes(1);
    expect(logger.info.mock.calls[0]?.[0]).toMatch(/signing keys available again after 1 failed attempt$/);
  });

  it("logs the recovery through warn when the logger has no info", async () => {
    local.configDown = true;
    const warn = vi.fn();
    vi.useFakeTimers({ toFake: ["Date"] });
    const v = verifier({ logger: { warn } });
    const good = `Bearer ${await sign(key)}`;
    await authFailure(v.verify(good));
    local.configDown = false;
    vi.setSystemTime(Date.now() + minBackoffMs);
    await expect(v.verify(good)).resolves.toMatchObject({ tenantId });
    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn.mock.calls[1]?.[0]).toMatch(/available again/);
  });

  it(`waits ${minBackoffMs} ms after the first failure, doubling per failure up to ${maxBackoffMs} ms`, async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    local.configDown = true;
    const v = verifier();
    const good = `Bearer ${await sign(key)}`;
    const waits: number[] = [];
    let wait = minBackoffMs;
    await authFailure(v.verify(good));
    for (let failure = 1; failure <= 9; failure++) {
      const hits = local.configHits;
      vi.setSystemTime(Date.now() + wait - 1);
      await authFailure(v.verify(good));
      expect(local.configHits).toBe(hits); // 1 ms early: no fetch
      vi.setSystemTime(Date.now() + 1);
      await authFailure(v.verify(good));
      expect(local.configHits).toBe(hits + 1);
      waits.push(wait);
      wait = Math.min(maxBackoffMs, wait * 2);
    }
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, 60, 60, 60].map((s) => s * 1000));
    expect(logger.warn).toHaveBeenCalledTimes(1);
  });

  it("keeps good tokens working and lets 50 unknown-kid tokens cause at most one JWKS fetch while the JWKS is down", async () => {
    const v = verifier({ keyRefetchCooldownMs: 0, tokenCache: false });
    const good = `Bearer ${await sign(key)}`;
    await v.verify(good);
    expect(local.jwksHits).toBe(1);
    local.jwksDown = true;
    const tokens = await Promise.all(Array.from({ length: 50 }, (_, i) => junk(i)));
    for (const token of tokens) {
      // An unknown kid during an outage may be a rotated key: "retry later", not "invalid".
      expect(await authFailure(v.verify(token))).toMatchObject({
        failure: "keys-unavailable",
        message: keysUnavailableMessage,
      });
      await expect(v.verify(good)).resolves.toMatchObject({ tenantId });
    }
    expect(local.jwksHits - 1).toBeLessThanOrEqual(2);
    expect(local.configHits).toBe(1);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0]?.[0]).toMatch(/JWKS .*fetch failed.*the last good keys stay in use/);
  });

  it("after the back-off, an unknown kid refetches the JWKS again and is refused as invalid", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const v = verifier({ keyRefetchCooldownMs: 0 });
    await v.verify(`Bearer ${await sign(key)}`);
    local.jwksDown = true;
    await authFailure(v.verify(await junk(1)));
    local.jwksDown = false;
    vi.setSystemTime(Date.now() + minBackoffMs);
    const hits = local.jwksHits;
    expect(await authFailure(v.verify(await junk(2)))).toMatchObject({
      failure: "invalid-token",
      message: "token rejected: no signing key matches the token's kid",
    });
    expect(local.jwksHits).toBe(hits + 1);
    expect(logger.info).toHaveBeenCalledTimes(1);
  });
});

describe("https-only key URLs", () => {
  it.each([
    ["plain http to another host", "http://login.example/keys"],
    ["ftp", "ftp://127.0.0.1/keys"],
    ["data", 'data:application/json,{"keys":[]}'],
  ])("refuses a jwks_uri on %s from the configuration, with the reason logged", async (_, jwksUri) => {
    local.jwksUri = jwksUri;
    const fetched: string[] = [];
    const v = verifier({
      fetch: (url, init) => {
        fetched.push(url);
        return fetch(url, init);
      },
    });
    const error = await authFailure(v.verify(`Bearer ${await sign(key)}`));
    expect(error).toMatchObject({ failure: "keys-unavailable", message: keysUnavailableMessage });
    expect(error.cause).toBeInstanceOf(Error);
    expect((error.cause as Error).message).toContain(`names jwks_uri ${jwksUri}, which is not https:`);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0]?.[0]).toContain(`jwks_uri ${jwksUri}, which is not https:`);
    expect(fetched).toEqual([local.openIdConfigurationUrl]); // the jwks_uri itself is never fetched
  });
});
