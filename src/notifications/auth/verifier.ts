import { KeyObject, type VerifyKeyObjectInput } from "node:crypto";
import { decodeProtectedHeader, errors, type JWTPayload } from "jose";
import { checkNumber, checkRecord, checkTimeout, checkType, fail, typeOf } from "../../core/check.ts";
import { normalizeId } from "../../core/operation-id.ts";
import { checkKeysUrl } from "../../core/secure-url.ts";
import { NotificationAuthError } from "../errors.ts";
import { type AuthLogger, createSigningKeys } from "./signing-keys.ts";
import { createTokenCache, expiredClaim, type TokenCacheOptions } from "./token-cache.ts";
import {
  hasValidSignature,
  type SignatureCheck,
  signatureCheckFor,
  supportedAlgorithms,
  verifyKeyInput,
} from "./token-signature.ts";

/** Where Graph's notification signing keys are published. */
export const defaultOpenIdConfigurationUrl = "https://api.aps.skype.com/v1/.well-known/OpenIdConfiguration";
/** The issuers Graph's notification tokens carry. */
export const defaultIssuers: readonly string[] = [
  "https://graph.microsoft.com",
  "https://api.botframework.com",
];
const tenantClaims = ["tid", "http://schemas.microsoft.com/identity/claims/tenantid"] as const;
const maxTokenLength = 16_384;
/** Three base64url segments; a signature (or header) in any other spelling is refused before decoding. */
const compactJws = /^[\w-]+\.[\w-]+\.[\w-]+$/;
/** The most token headers whose key selection is remembered; Graph uses a few. */
const maxSelections = 64;

/** The key a token header selects, and how its signatures are checked. */
interface Selection {
  check: SignatureCheck;
  keyInput: VerifyKeyObjectInput;
  kid: string | undefined;
  /** The kid's key fingerprint when selected; `undefined` without a kid (never remembered). */
  fingerprint: string | undefined;
}

/** How notification tokens are verified. Every option has a default suited to Graph. */
export interface NotificationAuthOptions {
  /**
   * The OpenID configuration naming the JWKS. Must be `https:` (`http:` only on a loopback host, for
   * tests); the `jwks_uri` it names is held to the same rule.
   *
   * @default defaultOpenIdConfigurationUrl
   */
  openIdConfigurationUrl?: string | URL;
  /**
   * Accepted `iss` values.
   *
   * @default defaultIssuers
   */
  issuers?: readonly string[];
  /**
   * Accepted tenant ids (any spelling of a GUID). A token must name a tenant in any case.
   *
   * @default any tenant
   */
  allowedTenants?: readonly string[];
  /**
   * Accepted signature algorithms, from RS256/384/512, PS256/384/512, ES256/384/512 and EdDSA; HMAC
   * and `none` are never accepted.
   *
   * @default ["RS256"]
   */
  algorithms?: readonly string[];
  /**
   * Clock skew allowed for `exp` and `nbf`, in seconds (cached tokens included).
   *
   * @default 60
   */
  clockToleranceSeconds?: number;
  /**
   * How long the OpenID configuration and keys are used before they are fetched again (in the
   * background, the last good keys serving meanwhile), in ms.
   *
   * @default 7200000 (2 hours)
   */
  refreshIntervalMs?: number;
  /**
   * The least time between two key fetches caused by an unknown `kid`, in ms.
   *
   * @default 30000
   */
  keyRefetchCooldownMs?: number;
  /**
   * How long fetching the configuration or keys may take, in ms; `Infinity` for no limit.
   *
   * @default 5000
   */
  fetchTimeoutMs?: number;
  /**
   * The fetch used to get the configuration and keys. Pass one that bypasses request interception
   * (MSW) in tests that intercept `fetch`.
   *
   * @default the global `fetch`, looked up at each call
   */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  /**
   * Reuse of successful verifications for repeated tokens (Graph sends one token with many
   * notifications), or `false` to verify the signature of every request. A token is cached when it
   * is verified the second time, so tokens that never come back fill no entries. A reused
   * verification still has `exp` and `nbf` checked on each request, and is dropped when its key
   * leaves the JWKS; failures are never reused.
   *
   * @default { maxEntries: 1000, maxAgeMs: 300000 }
   */
  tokenCache?: TokenCacheOptions | false;
  /**
   * Where a signing-key outage is reported (once, with its detail, when it starts) and its end
   * (once). The handler passes its own logger.
   *
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
  /**
   * Resolves with the token's claims, or rejects with {@link NotificationAuthError}: failure
   * `missing-token` or `invalid-token` for a bad request, `keys-unavailable` (retry later; the
   * detail is in the error's `cause`) when the signing keys cannot be fetched.
   */
  verify(authorization: string | null | undefined): Promise<VerifiedToken>;
}

/**
 * Creates a verifier for the bearer JWTs Graph signs notifications with: signature against the JWKS
 * named by the OpenID configuration, issuer, audience (= `appId`), `exp` (required) and `nbf` with a
 * small clock tolerance, a tenant claim present and optionally allow-listed. Successful
 * verifications are cached (see `tokenCache`); key fetching backs off during an outage.
 *
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
  /**
   * `verify`, but a token whose verification is cached and still valid is answered at once, and a
   * missing or overlong token is thrown at once; only a full verification returns a promise.
   */
  verifyNow(authorization: string | null | undefined): VerifiedToken | Promise<VerifiedToken>;
}

/**
 * {@link createNotificationVerifier}, plus `verifyNow`, which the handler calls: a cache hit then
 * costs no promise.
 */
export function createCachingVerifier(appId: string, options: NotificationAuthOptions = {}): CachingVerifier {
  if (typeof appId !== "string" || appId.trim() === "") fail("appId", "must be a non-empty string");
  const settings = readOptions(options);
  const keys = createSigningKeys(settings.keys);
  const cache = settings.tokenCache
    ? createTokenCache<VerifiedToken>(
        settings.tokenCache,
        settings.clockToleranceSeconds,
        keys.keyFingerprint,
      )
    : undefined;
  /**
   * The key and algorithm each token header selects, by the header's exact base64url text: Graph
   * signs with a handful of keys, so jose decodes a header and searches the JWKS once per key, not
   * once per token. An entry is used only while its kid still names the same key in the JWKS.
   */
  const selections = new Map<string, Selection>();

  /** Decodes a header and has jose find its key; throws a refusal, or `keys-unavailable`. */
  async function select(token: string): Promise<Selection> {
    const header = decodeProtectedHeader(token);
    const alg = header.alg;
    // Before the key is looked up, as the key set would refuse an HMAC or "none" token for want of a key.
    if (typeof alg !== "string" || !settings.algorithms.includes(alg)) {
      throw refusal("signature algorithm not allowed");
    }
    // Every accepted algorithm has a check: the options admit only supported ones.
    const check = signatureCheckFor(alg) as SignatureCheck;
    // No header extension is understood, so any critical one refuses the token (RFC 7515 §4.1.11).
    if (header.crit !== undefined) throw refusal("unsupported critical header");
    const key = await keys.getKey({ ...header, alg }, { payload: "", signature: "" });
    const keyObject = key instanceof KeyObject ? key : KeyObject.from(key as CryptoKey);
    const kid = typeof header.kid === "string" ? header.kid : undefined;
    return {
      check,
      keyInput: verifyKeyInput(keyObject, check),
      kid,
      fingerprint: kid === undefined ? undefined : keys.keyFingerprint(kid),
    };
  }

  /** The cached selection for a header while its key is still published, else a fresh one. */
  async function selectionFor(token: string, headerText: string): Promise<Selection> {
    const cached = selections.get(headerText);
    if (cached !== undefined && keys.keyFingerprint(cached.kid as string) === cached.fingerprint)
      return cached;
    selections.delete(headerText);
    try {
      return await select(token);
    } catch (error) {
      if (error instanceof NotificationAuthError) throw error;
      throw refusal(reason(error), error);
    }
  }

  async function verifyFully(token: string): Promise<VerifiedToken> {
    if (!compactJws.test(token)) throw refusal("malformed token");
    const firstDot = token.indexOf(".");
    const headerText = token.slice(0, firstDot);
    const selection = await selectionFor(token, headerText);
    const lastDot = token.lastIndexOf(".");
    if (!(await hasValidSignature(token, lastDot, selection.check, selection.keyInput))) {
      throw refusal("signature verification failed");
    }
    // Only headers that signed a token are remembered, and only with a kid (its key can leave the JWKS).
    if (selection.fingerprint !== undefined && !selections.has(headerText)) {
      if (selections.size >= maxSelections) selections.clear();
      selections.set(headerText, selection);
    }
    const claims = claimsOf(token.slice(firstDot + 1, lastDot));
    checkClaims(claims, settings.issuers, appId, settings.clockToleranceSeconds);
    const tenantId = tenantOf(claims);
    if (settings.allowedTenants && !settings.allowedTenants.has(normalizeId(tenantId))) {
      throw refusal("tenant is not allowed");
    }
    const result = { claims: deepFreeze(claims), tenantId };
    // Tokens without a kid are not cached: nothing would tell when their key is withdrawn.
    const { kid, fingerprint } = selection;
    if (cache && kid !== undefined && fingerprint !== undefined) {
      cache.set(token, { result, exp: claims.exp as number, nbf: claims.nbf, kid, fingerprint });
    }
    return result;
  }

  function verifyNow(authorization: string | null | undefined): VerifiedToken | Promise<VerifiedToken> {
    const token = bearerToken(authorization);
    keys.refreshIfDue(); // hits must not starve the refresh that notices withdrawn keys
    return cache?.get(token) ?? verifyFully(token);
  }

  return {
    async verify(authorization) {
      return verifyNow(authorization);
    },
    verifyNow,
  };
}

function bearerToken(authorization: string | null | undefined): string {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? "");
  if (!match?.[1]) throw new NotificationAuthError("missing-token", "missing bearer token");
  if (match[1].length > maxTokenLength) {
    throw new NotificationAuthError("invalid-token", "token rejected: too long");
  }
  return match[1];
}

/**
 * Refuses a token whose issuer is not accepted, whose audience does not name the app, whose `exp`
 * is missing or has passed, or whose `nbf` has not come (`exp` and `nbf` by the rule the token cache
 * applies to its hits).
 */
function checkClaims(
  claims: JWTPayload,
  issuers: readonly string[],
  appId: string,
  clockToleranceSeconds: number,
): void {
  const { iss, aud, exp, nbf } = claims;
  if (iss === undefined) throw refusal('missing required "iss" claim');
  if (typeof iss !== "string" || !issuers.includes(iss)) throw refusal('unexpected "iss" claim value');
  if (aud === undefined) throw refusal('missing required "aud" claim');
  if (aud !== appId && !(Array.isArray(aud) && aud.includes(appId))) {
    throw refusal('unexpected "aud" claim value');
  }
  if (exp === undefined) throw refusal('missing required "exp" claim');
  if (!isTime(exp)) throw refusal('"exp" claim must be a number');
  if (nbf !== undefined && !isTime(nbf)) throw refusal('"nbf" claim must be a number');
  const failed = expiredClaim(exp, nbf, clockToleranceSeconds, Date.now());
  if (failed !== undefined) throw refusal(`"${failed}" claim timestamp check failed`);
}

/**
 * The claims in the payload `segment` of a token whose signature has been checked: base64url-encoded
 * JSON, must be an object. (Node decodes it in one native step; jose's decodeJwt took twice as long.)
 */
function claimsOf(segment: string): JWTPayload {
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
  } catch (error) {
    throw refusal("malformed token", error);
  }
  if (typeOf(claims) !== "object") throw refusal("malformed token");
  return claims as JWTPayload;
}

/** An `invalid-token` refusal, worded "token rejected: …". */
function refusal(why: string, cause?: unknown): NotificationAuthError {
  return new NotificationAuthError("invalid-token", `token rejected: ${why}`, { cause });
}

/** True for a usable time claim: a finite number of seconds. */
function isTime(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

function tenantOf(claims: JWTPayload): string {
  for (const name of tenantClaims) {
    const value = claims[name];
    if (typeof value === "string" && value.trim() !== "") return value;
  }
  throw refusal("no tenant claim (tid)");
}

/** Why jose refused a token's header or key selection. */
function reason(error: unknown): string {
  if (error instanceof errors.JWKSNoMatchingKey) return "no signing key matches the token's kid";
  if (error instanceof errors.JWKSMultipleMatchingKeys)
    return "more than one signing key matches the token's kid";
  return "malformed token";
}

const optionKeys = [
  "openIdConfigurationUrl",
  "issuers",
  "allowedTenants",
  "algorithms",
  "clockToleranceSeconds",
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
  const algorithms = checkStrings("auth.algorithms", options.algorithms ?? ["RS256"]);
  const weak = algorithms.find((alg) => /^(none|HS\d+)$/i.test(alg));
  if (weak !== undefined) fail("auth.algorithms", `must list asymmetric algorithms only (not ${weak})`);
  const unsupported = algorithms.find((alg) => !supportedAlgorithms.includes(alg));
  if (unsupported !== undefined) {
    fail("auth.algorithms", `has ${unsupported}, which is not one of ${supportedAlgorithms.join(", ")}`);
  }
  const tenants = options.allowedTenants;
  const clockToleranceSeconds = checkNumber(
    "auth.clockToleranceSeconds",
    options.clockToleranceSeconds ?? 60,
    0,
  );
  return {
    issuers: checkStrings("auth.issuers", options.issuers ?? defaultIssuers),
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
    tokenCache: readTokenCache(options.tokenCache),
    keys: {
      openIdConfigurationUrl: checkKeysUrl(
        "auth.openIdConfigurationUrl",
        options.openIdConfigurationUrl ?? defaultOpenIdConfigurationUrl,
      ),
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

/**
 * Freezes a verified token's claims, nested values too: a cached result is shared by every request
 * carrying the token. Iterative, so no nesting depth can overflow the stack.
 */
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
