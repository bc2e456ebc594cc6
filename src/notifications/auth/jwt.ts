/**
 * JWT verification in one unit: what makes a notification token good, from its spelling to its
 * last claim (RFC 7515 compact serialization, RFC 7518 algorithms, RFC 7519 claims). The verifier
 * around it only finds keys and remembers results.
 */
import { constants, type KeyObject, type VerifyKeyObjectInput, verify } from "node:crypto";
import type { JWTPayload } from "jose";
import { typeOf } from "../../core/check.ts";
import { isGuid, normalizeId } from "../../core/operation-id.ts";
import { NotificationAuthError } from "../errors.ts";

/** How node:crypto checks one JWS algorithm's signatures. */
export interface SignatureCheck {
  /** The digest (`null` for EdDSA, which names its own). */
  readonly digest: string | null;
  /** Padding and signature encoding beyond the key itself (RSASSA-PSS, ECDSA's raw `r || s`). */
  readonly options: Omit<VerifyKeyObjectInput, "key">;
}

const pss = { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST };
const ecdsa = { dsaEncoding: "ieee-p1363" } as const;

/** The asymmetric algorithms of RFC 7518 §3.1 (and RFC 8037's EdDSA); HMAC and `none` have no entry. */
const checks: ReadonlyMap<string, SignatureCheck> = new Map([
  ["RS256", { digest: "sha256", options: {} }],
  ["RS384", { digest: "sha384", options: {} }],
  ["RS512", { digest: "sha512", options: {} }],
  ["PS256", { digest: "sha256", options: pss }],
  ["PS384", { digest: "sha384", options: pss }],
  ["PS512", { digest: "sha512", options: pss }],
  ["ES256", { digest: "sha256", options: ecdsa }],
  ["ES384", { digest: "sha384", options: ecdsa }],
  ["ES512", { digest: "sha512", options: ecdsa }],
  ["EdDSA", { digest: null, options: {} }],
]);

/** The signature algorithms a verifier can be configured with. */
export const supportedAlgorithms: readonly string[] = [...checks.keys()];

/** Three base64url segments; any other spelling (padding, `+`, `/`, spaces) is refused before decoding. */
const compactJws = /^[\w-]+\.[\w-]+\.[\w-]+$/;
/** The tenant claim's two names: Azure AD's short one and the one Microsoft's SDKs map it to. */
const tenantClaims = ["tid", "http://schemas.microsoft.com/identity/claims/tenantid"] as const;
/** What an issuer template holds where the token's tenant goes (Azure AD's own spelling). */
const tenantPlaceholder = "{tenantid}";
/** Decodes UTF-8 strictly, as jose does: invalid bytes refuse the token instead of becoming U+FFFD. */
const utf8 = new TextDecoder("utf-8", { fatal: true });

/** A compact token split at its dots (nothing in it trusted yet). */
export interface CompactToken {
  readonly token: string;
  readonly headerText: string;
  readonly firstDot: number;
  readonly lastDot: number;
}

/** The header fields verification uses, checked: an allowed algorithm and no critical extension. */
export interface TokenHeader {
  readonly alg: string;
  readonly check: SignatureCheck;
  readonly kid: string | undefined;
  /** The X.509 SHA-1 thumbprint naming the key when there is no `kid` (Microsoft sets both). */
  readonly x5t: string | undefined;
}

/** A key a token may be signed with. */
export interface CandidateKey {
  readonly key: KeyObject;
}

/** What a token's claims are held to. */
export interface ClaimRules {
  /** Accepted `iss` values; `{tenantid}` in one stands for the token's `tid`. */
  readonly issuers: readonly string[];
  /** Accepted `appid` (or `azp`) of the requesting service, or `undefined` for any. */
  readonly allowedAppIds: ReadonlySet<string> | undefined;
  /** The `aud` the token must name: the bot's app id. */
  readonly audience: string;
  /** Skew allowed for `exp`, `nbf` and `iat`, in seconds. */
  readonly clockToleranceSeconds: number;
  /** The longest `exp` may lie after `iat` (else `nbf`, else now), in seconds. */
  readonly maxLifetimeSeconds: number;
  /** Accepted tenants (normalized GUIDs), or `undefined` for any tenant. */
  readonly allowedTenants: ReadonlySet<string> | undefined;
}

/** The keys a token may be signed with, in the order to try them, and the rules its claims are held to. */
export interface KeysAndRules<K extends CandidateKey> {
  readonly keys: readonly K[];
  readonly rules: ClaimRules;
}

/** How {@link verifyJwt} finds what it needs beyond the token. */
export interface JwtVerification<K extends CandidateKey> {
  /** The header a header segment decodes to ({@link readHeader}, or a remembered result of it). */
  header(headerText: string): TokenHeader;
  /** The keys and rules for a token with this header and these (unverified) claims; no keys refuses it. */
  select(header: TokenHeader, claims: JWTPayload): KeysAndRules<K> | Promise<KeysAndRules<K>>;
}

/** A token that passed every check, and the key that signed it. */
export interface VerifiedJwt<K> {
  claims: JWTPayload;
  tenantId: string;
  key: K;
}

/** Verifies a compact JWS in full; rejects with an `invalid-token` {@link NotificationAuthError} (or what `select` throws). */
export async function verifyJwt<K extends CandidateKey>(
  token: string,
  how: JwtVerification<K>,
  nowMs = Date.now(),
): Promise<VerifiedJwt<K>> {
  const compact = splitToken(token);
  const header = how.header(compact.headerText);
  // The payload is read before the signature is checked only to pick keys; nothing is trusted yet.
  const claims = claimsOf(compact);
  const { keys, rules } = await how.select(header, claims);
  let signer: K | undefined;
  for (const candidate of keys) {
    if (await hasValidSignature(compact, header.check, candidate.key)) {
      signer = candidate;
      break;
    }
  }
  if (signer === undefined) throw refusal("signature verification failed");
  const tenantId = checkClaims(claims, rules, nowMs);
  return { claims, tenantId, key: signer };
}

/** Splits a compact JWS, refusing any spelling but three base64url segments. */
export function splitToken(token: string): CompactToken {
  if (!compactJws.test(token)) throw refusal("malformed token");
  const firstDot = token.indexOf(".");
  const lastDot = token.lastIndexOf(".");
  // A segment of 4n+1 characters is not base64 at all; Buffer would drop the last one silently.
  if (firstDot % 4 === 1 || (lastDot - firstDot - 1) % 4 === 1 || (token.length - lastDot - 1) % 4 === 1) {
    throw refusal("malformed token");
  }
  return { token, headerText: token.slice(0, firstDot), firstDot, lastDot };
}

/** Decodes a header: an object, `alg` one of `algorithms`, no `crit` (no extension is understood, RFC 7515 §4.1.11). */
export function readHeader(headerText: string, algorithms: readonly string[]): TokenHeader {
  const header = jsonObject(headerText);
  const { alg, crit, kid, x5t } = header;
  // Checked before any key is looked up: HMAC and "none" are refused here, never keyed.
  if (typeof alg !== "string" || !algorithms.includes(alg)) throw refusal("signature algorithm not allowed");
  const check = checks.get(alg);
  if (check === undefined) throw refusal("signature algorithm not allowed");
  if (crit !== undefined) throw refusal("unsupported critical header");
  return {
    alg,
    check,
    kid: typeof kid === "string" ? kid : undefined,
    x5t: typeof x5t === "string" ? x5t : undefined,
  };
}

/** The (unverified) claims of a compact token: base64url JSON, which must be an object. */
export function claimsOf(compact: CompactToken): JWTPayload {
  return jsonObject(compact.token.slice(compact.firstDot + 1, compact.lastDot)) as JWTPayload;
}

/** Whether `key` signed the token under `check`; never rejects. On libuv's thread pool, so RSA does not hold the event loop. */
export function hasValidSignature(
  compact: CompactToken,
  check: SignatureCheck,
  key: KeyObject,
): Promise<boolean> {
  const { token, lastDot } = compact;
  const signature = Buffer.from(token.slice(lastDot + 1), "base64url");
  // The token is base64url and dots only (splitToken), so the signing input is ASCII.
  const input = Buffer.from(token.slice(0, lastDot), "latin1");
  return new Promise((resolve) => {
    // A key that does not fit the algorithm throws, here or in the callback: either way, not signed.
    try {
      verify(check.digest, input, { ...check.options, key }, signature, (error, valid) =>
        resolve(error === null && valid),
      );
    } catch {
      resolve(false);
    }
  });
}

/** Holds verified claims to every rule (`iss`, `aud`, times, lifetime, tenant, requesting app); returns the tenant. */
export function checkClaims(claims: JWTPayload, rules: ClaimRules, nowMs: number): string {
  const { iss, aud, exp, nbf, iat } = claims;
  if (iss === undefined) throw refusal('missing required "iss" claim');
  if (!issuerAccepted(iss, rules.issuers, claims.tid)) throw refusal('unexpected "iss" claim value');
  if (aud === undefined) throw refusal('missing required "aud" claim');
  if (aud !== rules.audience && !(Array.isArray(aud) && aud.includes(rules.audience))) {
    throw refusal('unexpected "aud" claim value');
  }
  if (exp === undefined) throw refusal('missing required "exp" claim');
  if (!isTime(exp)) throw refusal('"exp" claim must be a number');
  if (nbf !== undefined && !isTime(nbf)) throw refusal('"nbf" claim must be a number');
  if (iat !== undefined && !isTime(iat)) throw refusal('"iat" claim must be a number');
  const failed = expiredClaim(exp, nbf, rules.clockToleranceSeconds, nowMs);
  if (failed !== undefined) throw refusal(`"${failed}" claim timestamp check failed`);
  const now = Math.floor(nowMs / 1000);
  if (iat !== undefined && iat > now + rules.clockToleranceSeconds) {
    throw refusal('"iat" claim timestamp check failed (it should be in the past)');
  }
  // A stolen token is good until exp: one valid for years is refused whatever its signature.
  if (exp - (iat ?? nbf ?? now) > rules.maxLifetimeSeconds) {
    throw refusal(`token lifetime exceeds ${rules.maxLifetimeSeconds} s`);
  }
  const tenantId = tenantOf(claims);
  if (rules.allowedTenants && !rules.allowedTenants.has(normalizeId(tenantId))) {
    throw refusal("tenant is not allowed");
  }
  if (rules.allowedAppIds) {
    // v1.0 tokens name the requesting app in `appid`, v2.0 tokens in `azp`.
    const app = claims.appid ?? claims.azp;
    if (typeof app !== "string" || !rules.allowedAppIds.has(normalizeId(app))) {
      throw refusal("the requesting app (appid) is not allowed");
    }
  }
  return tenantId;
}

/** Whether `iss` is one of `issuers`, where `{tenantid}` in an issuer stands for the token's `tid`. */
export function issuerAccepted(iss: unknown, issuers: readonly string[], tid: unknown): boolean {
  if (typeof iss !== "string") return false;
  for (const issuer of issuers) {
    const at = issuer.indexOf(tenantPlaceholder);
    // A template never matches as written: "{tenantid}" is no tenant.
    if (at < 0) {
      if (issuer === iss) return true;
    } else if (
      typeof tid === "string" &&
      tid !== "" &&
      iss.length === issuer.length - tenantPlaceholder.length + tid.length &&
      iss.startsWith(issuer.slice(0, at)) &&
      iss.endsWith(issuer.slice(at + tenantPlaceholder.length)) &&
      iss.slice(at, at + tid.length) === tid
    ) {
      return true;
    }
  }
  return false;
}

/**
 * Which time claim makes a token unusable at `nowMs`: `exp` once reached (RFC 7519 §4.1.4), `nbf`
 * while ahead, each give or take the tolerance, in whole seconds as jose compares; cached tokens too.
 */
export function expiredClaim(
  exp: number,
  nbf: number | undefined,
  clockToleranceSeconds: number,
  nowMs: number,
): "exp" | "nbf" | undefined {
  const now = Math.floor(nowMs / 1000);
  if (exp <= now - clockToleranceSeconds) return "exp";
  if (nbf !== undefined && nbf > now + clockToleranceSeconds) return "nbf";
  return undefined;
}

/** An `invalid-token` refusal, worded "token rejected: …". */
export function refusal(why: string, cause?: unknown): NotificationAuthError {
  return new NotificationAuthError("invalid-token", `token rejected: ${why}`, { cause });
}

/** A base64url segment's JSON, which must be an object. */
function jsonObject(segment: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(utf8.decode(Buffer.from(segment, "base64url")));
  } catch (error) {
    throw refusal("malformed token", error);
  }
  if (typeOf(value) !== "object") throw refusal("malformed token");
  return value as Record<string, unknown>;
}

/** True for a usable time claim: a finite number of seconds. */
function isTime(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

function tenantOf(claims: JWTPayload): string {
  for (const name of tenantClaims) {
    const value = claims[name];
    if (typeof value === "string" && value.trim() !== "") {
      if (!isGuid(value)) throw refusal("tenant claim (tid) is not a GUID");
      return value;
    }
  }
  throw refusal("no tenant claim (tid)");
}
