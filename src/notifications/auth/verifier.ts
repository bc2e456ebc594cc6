import type { JWTPayload } from "jose";
import { checkNumber, checkRecord, checkTimeout, checkType, fail } from "../../core/check.ts";
import { normalizeId } from "../../core/operation-id.ts";
import { checkKeysUrl } from "../../core/secure-url.ts";
import { NotificationAuthError } from "../errors.ts";
import {
  cloudKeySources,
  defaultIssuers,
  defaultOpenIdConfigurationUrl,
  type KeySource,
  type MicrosoftCloud,
} from "./clouds.ts";
import {
  type ClaimRules,
  issuerAccepted,
  type JwtVerification,
  type KeysAndRules,
  readHeader,
  refusal,
  supportedAlgorithms,
  type TokenHeader,
  verifyJwt,
} from "./jwt.ts";
import { type AuthLogger, createSigningKeys, type PublishedKey } from "./signing-keys.ts";
import { createTokenCache, type TokenCacheOptions } from "./token-cache.ts";

export { defaultIssuers, defaultOpenIdConfigurationUrl };

const maxTokenLength = 16_384;
/** What the Bot Framework SDKs accept (botbuilder-dotnet `JwtConfig.ToBotFromChannelAllowedSigningAlgorithms`). */
const defaultAlgorithms: readonly string[] = ["RS256", "RS384", "RS512"];
const maxHeaders = 64;

/** How notification tokens are verified. Every option has a default suited to Graph. */
export interface NotificationAuthOptions {
  /**
   * The Microsoft cloud the bot runs in: its preset key sources and issuers (the README lists them).
   * @default "public"
   */
  cloud?: MicrosoftCloud;
  /**
   * Where signing keys are published and the issuers each source signs for, instead of a cloud's preset.
   * @default the cloud's preset
   * @example
   * keySources: [{ openIdConfigurationUrl: "https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration", issuers: ["https://login.microsoftonline.com/{tenantid}/v2.0"] }]
   */
  keySources?: readonly KeySource[];
  /**
   * A single key source's OpenID configuration URL (`https:`, or `http:` on a loopback host), with `issuers`.
   * @default the cloud's key sources
   */
  openIdConfigurationUrl?: string | URL;
  /**
   * Accepted `iss` values of the single key source named by `openIdConfigurationUrl`.
   * @default defaultIssuers
   */
  issuers?: readonly string[];
  /**
   * Accepted tenant ids (any spelling of a GUID). A token must name a tenant in any case.
   * @default any tenant
   */
  allowedTenants?: readonly string[];
  /**
   * Accepted signature algorithms (RS, PS, ES 256/384/512 and EdDSA; never HMAC or `none`).
   * @default ["RS256", "RS384", "RS512"]
   */
  algorithms?: readonly string[];
  /**
   * Clock skew allowed for `exp` and `nbf`, in seconds, as IdentityModel's `DefaultClockSkew`.
   * @default 300
   */
  clockToleranceSeconds?: number;
  /**
   * The longest a token may be valid (`exp` less `iat`, else `nbf`), in seconds.
   * @default 7200 (2 hours)
   */
  maxTokenLifetimeSeconds?: number;
  /**
   * Accepted `appid` (v2.0: `azp`) of the requesting service, for every key source (Graph's: `26a18ebc-cdf7-4a6a-91cb-beb352805e81`).
   * @default any (Azure AD sources: Graph's calling service only)
   */
  allowedAppIds?: readonly string[];
  /**
   * How long the configuration and keys are used before a background refetch, in ms.
   * @default 7200000 (2 hours)
   */
  refreshIntervalMs?: number;
  /**
   * The least time between two key fetches caused by an unknown `kid`, in ms.
   * @default 30000
   */
  keyRefetchCooldownMs?: number;
  /**
   * How long fetching the configuration or keys may take, in ms; `Infinity` for no limit.
   * @default 5000
   */
  fetchTimeoutMs?: number;
  /**
   * The fetch used for the configuration and keys (one that bypasses MSW, in tests that intercept `fetch`).
   * @default the global `fetch`, looked up at each call
   */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  /**
   * Reuse of verifications for a token seen twice (`exp`, `nbf` and its key still checked), or `false` to verify every request.
   * @default { maxEntries: 1000, maxAgeMs: 300000 }
   */
  tokenCache?: TokenCacheOptions | false;
  /**
   * Where a signing-key outage is reported, once when it starts and once when it ends.
   * @default console
   */
  logger?: AuthLogger;
}

/** A token that passed every check. */
export interface VerifiedToken {
  /** All claims of the token, frozen (a cached verification hands the same object to every request). */
  claims: JWTPayload;
  /** The tenant id from `tid` or the `…/claims/tenantid` claim. */
  tenantId: string;
}

/** Verifies the `Authorization` header of a notification request. */
export interface NotificationVerifier {
  /** Resolves with the token's claims, or rejects with {@link NotificationAuthError} (`keys-unavailable`: retry later). */
  verify(authorization: string | null | undefined): Promise<VerifiedToken>;
}

/**
 * Creates a verifier for Graph's notification JWTs: signature, issuer, audience (`appId`), `exp`, `nbf` and tenant.
 * @example
 * const verifier = createNotificationVerifier("2a4a42e9-6bd0-4c86-8d3c-4b8e6d1e3a1f");
 * const { tenantId } = await verifier.verify(request.headers.get("authorization"));
 */
export function createNotificationVerifier(
  appId: string,
  options: NotificationAuthOptions = {},
): NotificationVerifier {
  const { verify } = createCachingVerifier(appId, options);
  return { verify };
}

/** A verifier that answers a cached verification without a promise (for the handler). */
export interface CachingVerifier extends NotificationVerifier {
  /** `verify`, answering a cached token and throwing for a missing one at once: only a full verification is a promise. */
  verifyNow(authorization: string | null | undefined): VerifiedToken | Promise<VerifiedToken>;
  /** Starts fetching every key source's keys at once (in parallel), so the first token need not wait for them. */
  prefetch(): void;
}

/** {@link createNotificationVerifier}, plus `verifyNow` for the handler, so a cache hit costs no promise. */
export function createCachingVerifier(appId: string, options: NotificationAuthOptions = {}): CachingVerifier {
  if (typeof appId !== "string" || appId.trim() === "") fail("appId", "must be a non-empty string");
  const settings = readOptions(options);
  const sources = settings.sources.map((source) => ({
    keys: createSigningKeys({ ...settings.keys, openIdConfigurationUrl: source.openIdConfigurationUrl }),
    rules: {
      issuers: source.issuers,
      allowedAppIds: both(source.allowedAppIds, settings.allowedAppIds),
      audience: appId,
      clockToleranceSeconds: settings.clockToleranceSeconds,
      maxLifetimeSeconds: settings.maxTokenLifetimeSeconds,
      allowedTenants: settings.allowedTenants,
    } satisfies ClaimRules,
  }));
  const isPublished = (key: PublishedKey) => sources.some((source) => source.keys.isPublished(key));
  const cache = settings.tokenCache
    ? createTokenCache<VerifiedToken, PublishedKey>(
        settings.tokenCache,
        settings.clockToleranceSeconds,
        isPublished,
      )
    : undefined;
  /** Decoded headers by their text (at most `maxHeaders`): Graph signs with a handful of keys, so each is decoded once. */
  const headers = new Map<string, TokenHeader>();
  const verification: JwtVerification<PublishedKey> = {
    header(text) {
      let header = headers.get(text);
      if (header === undefined) {
        header = readHeader(text, settings.algorithms);
        if (headers.size >= maxHeaders) headers.clear();
        headers.set(text, header);
      }
      return header;
    },
    select(header, claims) {
      // The (not yet verified) issuer picks the source; the claim rules check it again once signed.
      const source = sources.find(({ rules }) => issuerAccepted(claims.iss, rules.issuers, claims.tid));
      if (source === undefined) {
        throw refusal(
          claims.iss === undefined ? 'missing required "iss" claim' : 'unexpected "iss" claim value',
        );
      }
      const keys = source.keys.keysFor(header);
      return keys instanceof Promise
        ? keys.then((list) => ({ keys: list, rules: source.rules }))
        : withRules(keys, source);
    },
  };

  async function verifyFully(token: string): Promise<VerifiedToken> {
    const { claims, tenantId, key } = await verifyJwt(token, verification);
    const result = { claims: deepFreeze(claims), tenantId };
    cache?.set(token, { result, exp: claims.exp as number, nbf: claims.nbf, key });
    return result;
  }

  function verifyNow(authorization: string | null | undefined): VerifiedToken | Promise<VerifiedToken> {
    const token = bearerToken(authorization);
    // Hits must not starve the refresh that notices withdrawn keys.
    for (const source of sources) source.keys.refreshIfDue();
    return cache?.get(token) ?? verifyFully(token);
  }

  return {
    async verify(authorization) {
      return verifyNow(authorization);
    },
    verifyNow,
    prefetch() {
      for (const source of sources) void source.keys.prefetch();
    },
  };
}

/** The ids both allow-lists allow (either one when the other is absent). */
function both(a: ReadonlySet<string> | undefined, b: ReadonlySet<string> | undefined) {
  if (a === undefined || b === undefined) return a ?? b;
  return new Set([...a].filter((id) => b.has(id)));
}

function withRules(keys: readonly PublishedKey[], source: { rules: ClaimRules }): KeysAndRules<PublishedKey> {
  return { keys, rules: source.rules };
}

function bearerToken(authorization: string | null | undefined): string {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? "");
  if (!match?.[1]) throw new NotificationAuthError("missing-token", "missing bearer token");
  if (match[1].length > maxTokenLength) {
    throw new NotificationAuthError("invalid-token", "token rejected: too long");
  }
  return match[1];
}

const optionKeys = [
  "cloud",
  "keySources",
  "openIdConfigurationUrl",
  "issuers",
  "allowedTenants",
  "algorithms",
  "clockToleranceSeconds",
  "maxTokenLifetimeSeconds",
  "allowedAppIds",
  "refreshIntervalMs",
  "keyRefetchCooldownMs",
  "fetchTimeoutMs",
  "fetch",
  "tokenCache",
  "logger",
];

/** Checks the options (also from untyped JavaScript), naming a bad one as `auth.<name>`, and fills in defaults. */
function readOptions(input: unknown) {
  const options = checkRecord("auth", input, optionKeys) as NotificationAuthOptions;
  const algorithms = checkStrings("auth.algorithms", options.algorithms ?? defaultAlgorithms);
  const weak = algorithms.find((alg) => /^(none|HS\d+)$/i.test(alg));
  if (weak !== undefined) fail("auth.algorithms", `must list asymmetric algorithms only (not ${weak})`);
  const unsupported = algorithms.find((alg) => !supportedAlgorithms.includes(alg));
  if (unsupported !== undefined) {
    fail("auth.algorithms", `has ${unsupported}, which is not one of ${supportedAlgorithms.join(", ")}`);
  }
  const tenants = options.allowedTenants;
  const clockToleranceSeconds = checkNumber(
    "auth.clockToleranceSeconds",
    options.clockToleranceSeconds ?? 300,
    0,
  );
  return {
    sources: readSources(options),
    algorithms,
    allowedTenants:
      tenants === undefined
        ? undefined
        : new Set(
            checkStrings("auth.allowedTenants", tenants, " (leave it out to accept any tenant)").map(
              normalizeId,
            ),
          ),
    clockToleranceSeconds,
    maxTokenLifetimeSeconds: checkNumber(
      "auth.maxTokenLifetimeSeconds",
      options.maxTokenLifetimeSeconds ?? 7_200,
      1,
    ),
    allowedAppIds:
      options.allowedAppIds === undefined
        ? undefined
        : new Set(checkStrings("auth.allowedAppIds", options.allowedAppIds).map(normalizeId)),
    tokenCache: readTokenCache(options.tokenCache),
    keys: {
      refreshIntervalMs: checkNumber(
        "auth.refreshIntervalMs",
        options.refreshIntervalMs ?? 2 * 60 * 60 * 1000,
        0,
      ),
      keyRefetchCooldownMs: checkNumber(
        "auth.keyRefetchCooldownMs",
        options.keyRefetchCooldownMs ?? 30_000,
        0,
      ),
      fetchTimeoutMs: checkTimeout("auth.fetchTimeoutMs", options.fetchTimeoutMs ?? 5_000),
      fetch: readFetch(options.fetch),
      logger: readLogger(options.logger),
    },
  };
}

/** The key sources: `keySources`, else the one `openIdConfigurationUrl`/`issuers` name, else the cloud's. */
function readSources(options: NotificationAuthOptions) {
  const { cloud, keySources, openIdConfigurationUrl, issuers } = options;
  const single = openIdConfigurationUrl !== undefined || issuers !== undefined;
  if (keySources !== undefined && (single || cloud !== undefined)) {
    fail("auth.keySources", "cannot be combined with cloud, openIdConfigurationUrl or issuers");
  }
  if (single && cloud !== undefined) {
    fail(
      "auth.cloud",
      "cannot be combined with openIdConfigurationUrl or issuers (use keySources for several sources)",
    );
  }
  if (cloud !== undefined && !Object.hasOwn(cloudKeySources, cloud)) {
    fail("auth.cloud", `must be one of ${Object.keys(cloudKeySources).join(", ")}, got ${String(cloud)}`);
  }
  const given: readonly KeySource[] = single
    ? [
        {
          openIdConfigurationUrl: openIdConfigurationUrl ?? defaultOpenIdConfigurationUrl,
          issuers: issuers ?? defaultIssuers,
        },
      ]
    : (keySources ?? cloudKeySources[cloud ?? "public"]);
  const argument = (i: number, name: string) =>
    keySources === undefined ? `auth.${name}` : `auth.keySources[${i}].${name}`;
  const list = checkType<unknown[]>("auth.keySources", given, "array");
  if (list.length === 0) fail("auth.keySources", "must not be empty");
  return list.map((item, i) => {
    const source = checkRecord(`auth.keySources[${i}]`, item, [
      "openIdConfigurationUrl",
      "issuers",
      "allowedAppIds",
    ]);
    const appIds = source.allowedAppIds;
    return {
      openIdConfigurationUrl: checkKeysUrl(
        argument(i, "openIdConfigurationUrl"),
        source.openIdConfigurationUrl,
      ),
      issuers: checkStrings(argument(i, "issuers"), source.issuers),
      allowedAppIds:
        appIds === undefined
          ? undefined
          : new Set(checkStrings(argument(i, "allowedAppIds"), appIds).map(normalizeId)),
    };
  });
}

function checkStrings(argument: string, value: unknown, emptyHint = ""): string[] {
  const list = checkType<unknown[]>(argument, value, "array");
  if (list.length === 0) fail(argument, `must not be empty${emptyHint}`);
  list.forEach((item, i) => {
    if (typeof item !== "string" || item.trim() === "")
      fail(`${argument}[${i}]`, "must be a non-empty string");
  });
  return list as string[];
}

function readTokenCache(value: unknown): Required<TokenCacheOptions> | false {
  if (value === false) return false;
  const given = checkRecord("auth.tokenCache", value ?? {}, ["maxEntries", "maxAgeMs"]);
  return {
    maxEntries: checkNumber("auth.tokenCache.maxEntries", given.maxEntries ?? 1000, 1, true),
    maxAgeMs: checkNumber("auth.tokenCache.maxAgeMs", given.maxAgeMs ?? 300_000, 1),
  };
}

function readFetch(custom: unknown): (url: string, init: RequestInit) => Promise<Response> {
  if (custom === undefined) return (url, init) => globalThis.fetch(url, init);
  return checkType("auth.fetch", custom, "function");
}

function readLogger(value: unknown): AuthLogger {
  if (value === undefined) return console;
  const logger = checkType<Record<string, unknown>>("auth.logger", value, "object");
  checkType("auth.logger.warn", logger.warn, "function");
  if (logger.info !== undefined) checkType("auth.logger.info", logger.info, "function");
  return logger as unknown as AuthLogger;
}

/** Freezes the claims, nested values too, as a cached result is shared; iterative, so no depth overflows the stack. */
function deepFreeze<T>(root: T): T {
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value !== "object" || value === null || Object.isFrozen(value)) continue;
    Object.freeze(value);
    for (const member of Object.values(value)) pending.push(member);
  }
  return root;
}
