import { createPublicKey, type KeyObject } from "node:crypto";
import type { JWK } from "jose";
import { typeOf } from "../../core/check.ts";
import { isHttpsOrLoopback } from "../../core/secure-url.ts";
import { NotificationAuthError } from "../errors.ts";
import { refusal, type TokenHeader } from "./jwt.ts";

/** Where the signing keys report an outage and its end: `console`, or the handler's logger. */
export interface AuthLogger {
  /** Receives the first failure of an outage, with its detail (internal URLs, library errors). */
  warn(message: string, ...details: unknown[]): void;
  /** Receives the end of an outage; `warn` does when this is missing. */
  info?(message: string, ...details: unknown[]): void;
}

/** How the signing keys are found and cached. */
export interface SigningKeysOptions {
  /** The OpenID configuration naming the JWKS (`jwks_uri`); https, or http on loopback. */
  openIdConfigurationUrl: URL;
  /** How often the configuration and keys are fetched again (in the background), in ms. */
  refreshIntervalMs: number;
  /** The least time between two JWKS fetches caused by an unknown `kid`, in ms. */
  keyRefetchCooldownMs: number;
  /** How long one fetch may take, in ms; `undefined` for no limit. */
  fetchTimeoutMs: number | undefined;
  /** The fetch used for both endpoints. */
  fetch: (url: string, init: RequestInit) => Promise<Response>;
  /** Where an outage is reported (once) and its end (once). */
  logger: AuthLogger;
}

/** A key of the JWKS, imported once and kept while the JWKS publishes it unchanged. */
export interface PublishedKey {
  readonly key: KeyObject;
  readonly kid: string | undefined;
  readonly x5t: string | undefined;
  /** The JWK's `kty` and `crv`, `alg`, `use` and `key_ops`, which decide what it may verify. */
  readonly jwk: Readonly<Pick<JWK, "kty" | "crv" | "alg" | "use" | "key_ops">>;
}

/** The signing keys: the keys a token header may be signed with, and whether a key is still published. */
export interface SigningKeys {
  /**
   * The keys that may have signed a token with this header, in the order to try them: those its
   * `kid` names; without a `kid`, those its `x5t` names, else each key of the set that fits the
   * algorithm (at most {@link maxKeysTried}). An unknown `kid` or `x5t` refetches the JWKS at most
   * once per cooldown. Rejects with `keys-unavailable` when no keys can be had, or refuses the token.
   */
  keysFor(header: TokenHeader): readonly PublishedKey[] | Promise<readonly PublishedKey[]>;
  /** Whether the current JWKS still publishes `key` unchanged. */
  isPublished(key: PublishedKey): boolean;
  /** Starts a background refresh when one is due and no back-off holds it; cheap when none is. */
  refreshIfDue(): void;
  /** Fetches the keys now unless they are held or a back-off holds it; resolves true once they are held. */
  prefetch(): Promise<boolean>;
}

/** The most keys one token without a `kid` is tried against. */
export const maxKeysTried = 8;
/** The wait after the first failed fetch; it doubles after each further failure, up to {@link maxBackoffMs}. */
export const minBackoffMs = 1_000;
/** The longest wait between two fetch attempts during an outage. */
export const maxBackoffMs = 60_000;
/** What a refused request is told during an outage: no URL, no library text (those go to the log). */
export const keysUnavailableMessage = "signing keys unavailable, try again later";

interface KeySet {
  jwksUri: string;
  /** Every usable key, in JWKS order. */
  all: readonly PublishedKey[];
  byKid: ReadonlyMap<string, PublishedKey[]>;
  byX5t: ReadonlyMap<string, PublishedKey[]>;
  published: ReadonlySet<PublishedKey>;
  /** Each key by its JWK's text, so a refresh keeps the objects of keys it did not change. */
  byText: ReadonlyMap<string, PublishedKey>;
}

/**
 * The signing keys behind the JWKS named by an OpenID configuration, refreshed in the background
 * every `refreshIntervalMs` while the last good keys keep serving. A token naming an unknown `kid`
 * (or, without one, an unknown `x5t`) refetches the JWKS at most once per `keyRefetchCooldownMs`
 * (key rotation). One fetch is in flight at a time, shared by every request; after a failure no
 * fetch is tried for {@link minBackoffMs}, doubling per failure up to {@link maxBackoffMs}, so junk
 * tokens during an outage cannot multiply fetches. The outage is logged once with its detail, and
 * so is the recovery; requests are refused with `keys-unavailable` and a message without detail
 * (the detail is the error's `cause`). The fetching is ours because jose's `createRemoteJWKSet`
 * starts its cooldown only at a success, so during an outage every unknown `kid` would fetch again.
 */
export function createSigningKeys(options: SigningKeysOptions): SigningKeys {
  let current: KeySet | undefined;
  let nextRefreshAt = 0;
  let lastFetchedAt = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<boolean> | undefined;
  let failures = 0;
  let retryAt = 0;
  let lastFailure: Error | undefined;

  /** Fetches the keys (the configuration too unless `jwksOnly`), or joins the fetch in flight; true on success. */
  function fetchKeys(jwksOnly: boolean): Promise<boolean> {
    inFlight ??= load(options, jwksOnly ? current?.jwksUri : undefined, current)
      .then(succeeded, failed)
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  }

  function succeeded(keys: KeySet): boolean {
    const now = Date.now();
    current = keys;
    nextRefreshAt = now + options.refreshIntervalMs;
    lastFetchedAt = now;
    if (failures > 0) {
      const log = options.logger.info ?? options.logger.warn;
      log.call(
        options.logger,
        `notification auth: signing keys available again after ${failures} failed attempt${failures === 1 ? "" : "s"}`,
      );
    }
    failures = 0;
    retryAt = 0;
    lastFailure = undefined;
    return true;
  }

  function failed(error: unknown): boolean {
    lastFailure = error instanceof Error ? error : new Error(String(error));
    failures++;
    const backoff = Math.min(maxBackoffMs, minBackoffMs * 2 ** Math.min(failures - 1, 16));
    retryAt = Date.now() + backoff;
    if (failures === 1) {
      options.logger.warn(
        `notification auth: ${lastFailure.message}; ${
          current ? "the last good keys stay in use" : "tokens are refused (keys-unavailable)"
        }. Retrying after ${minBackoffMs / 1000} s, doubling up to ${maxBackoffMs / 1000} s; ` +
          "further failures are not logged until the keys are back.",
        lastFailure,
      );
    }
    return false;
  }

  function unavailable(): NotificationAuthError {
    return new NotificationAuthError("keys-unavailable", keysUnavailableMessage, { cause: lastFailure });
  }

  function refreshIfDue(): void {
    const now = Date.now();
    if (current && now >= nextRefreshAt && now >= retryAt) void fetchKeys(false);
  }

  function keysFor(header: TokenHeader): readonly PublishedKey[] | Promise<readonly PublishedKey[]> {
    if (!current) return firstKeysFor(header);
    refreshIfDue();
    return select(current, header);
  }

  async function firstKeysFor(header: TokenHeader): Promise<readonly PublishedKey[]> {
    if (Date.now() >= retryAt) await fetchKeys(false);
    if (!current) throw unavailable();
    return select(current, header);
  }

  function select(
    keys: KeySet,
    header: TokenHeader,
  ): readonly PublishedKey[] | Promise<readonly PublishedKey[]> {
    const listed = named(keys, header);
    if (listed === undefined || listed.length > 0) return fitting(keys, header, listed);
    return refetchedKeysFor(header);
  }

  /** The keys for a header whose kid (or x5t) the JWKS does not publish: a rotated key, or junk. */
  async function refetchedKeysFor(header: TokenHeader): Promise<readonly PublishedKey[]> {
    // During an outage a rotated key and a junk token look alike: "retry later", not "invalid".
    const now = Date.now();
    if (now < retryAt) throw unavailable();
    if (now >= lastFetchedAt + options.keyRefetchCooldownMs && !(await fetchKeys(true))) throw unavailable();
    const keys = current as KeySet;
    const again = named(keys, header);
    if (again !== undefined && again.length > 0) return fitting(keys, header, again);
    if (header.kid !== undefined) throw refusal("no signing key matches the token's kid");
    return fitting(keys, header, undefined); // an unknown x5t: every key, as without one
  }

  return {
    keysFor,
    isPublished: (key) => current?.published.has(key) === true,
    refreshIfDue,
    prefetch: () =>
      current ? Promise.resolve(true) : Date.now() < retryAt ? Promise.resolve(false) : fetchKeys(false),
  };
}

/** The keys the header's `kid` names (else its `x5t`), or `undefined` when it names none. */
function named(keys: KeySet, header: TokenHeader): readonly PublishedKey[] | undefined {
  if (header.kid !== undefined) return keys.byKid.get(header.kid) ?? [];
  if (header.x5t !== undefined) return keys.byX5t.get(header.x5t) ?? [];
  return undefined;
}

/** Of `named` (or, when undefined, every key), those that may verify the header's algorithm, at most {@link maxKeysTried}. */
function fitting(
  keys: KeySet,
  header: TokenHeader,
  named: readonly PublishedKey[] | undefined,
): readonly PublishedKey[] {
  const candidates = named ?? keys.all;
  // The usual case, one key under the kid that fits: no new array.
  if (candidates.length === 1 && fits(candidates[0] as PublishedKey, header.alg)) return candidates;
  const fit = candidates.filter((key) => fits(key, header.alg));
  return fit.length > maxKeysTried ? fit.slice(0, maxKeysTried) : fit;
}

/** The key types and curves each algorithm family needs (RFC 7518 §3, RFC 8037 §3.1). */
const keyTypes: Readonly<Record<string, readonly [kty: string, crv?: string]>> = {
  ES256: ["EC", "P-256"],
  ES384: ["EC", "P-384"],
  ES512: ["EC", "P-521"],
  EdDSA: ["OKP"],
};

/** Whether a key may verify `alg`: its type fits, and its `alg`, `use` and `key_ops`, where given, allow it. */
function fits({ jwk }: PublishedKey, alg: string): boolean {
  const [kty, crv] = keyTypes[alg] ?? ["RSA"];
  return (
    jwk.kty === kty &&
    (crv === undefined || jwk.crv === crv) &&
    (jwk.alg === undefined || jwk.alg === alg) &&
    (jwk.use === undefined || jwk.use === "sig") &&
    (jwk.key_ops === undefined || jwk.key_ops.includes("verify"))
  );
}

/** Fetches the configuration (unless `jwksUri` is known) and the JWKS; rejects with an Error whose message is the detail. */
async function load(
  options: SigningKeysOptions,
  jwksUri: string | undefined,
  previous: KeySet | undefined,
): Promise<KeySet> {
  const uri = jwksUri ?? (await fetchJwksUri(options));
  const jwks = await fetchJson(options, `JWKS ${uri}`, uri);
  const list = (jwks as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(list)) throw new Error(`signing keys unavailable: JWKS ${uri} has no keys array`);
  const all: PublishedKey[] = [];
  const byText = new Map<string, PublishedKey>();
  for (const jwk of list) {
    const key = publishedKey(jwk, previous);
    if (key === undefined) continue;
    all.push(key);
    byText.set(key.text, key);
  }
  return {
    jwksUri: uri,
    all,
    byKid: index(all, (key) => key.kid),
    byX5t: index(all, (key) => key.x5t),
    published: new Set(all),
    byText,
  };
}

/** A JWK as a verification key (the previous set's object when unchanged), or `undefined` when unusable. */
function publishedKey(
  jwk: unknown,
  previous: KeySet | undefined,
): (PublishedKey & { text: string }) | undefined {
  if (typeOf(jwk) !== "object") return undefined;
  const { kid, x5t, kty, crv, alg, use, key_ops, n, e, x, y } = jwk as JWK;
  if (typeof kty !== "string" || (kid !== undefined && typeof kid !== "string")) return undefined;
  const text = JSON.stringify([kid, x5t, kty, crv, alg, use, key_ops, n, e, x, y]);
  const known = previous?.byText.get(text) as (PublishedKey & { text: string }) | undefined;
  if (known !== undefined) return known;
  let key: KeyObject;
  try {
    key = createPublicKey({ key: { kty, crv, n, e, x, y } as Record<string, string>, format: "jwk" });
  } catch {
    return undefined; // a key of a type or shape node:crypto cannot use verifies nothing
  }
  // RSA keys under 2048 bits are refused, as jose and RFC 7518 §3.3 require.
  if (kty === "RSA" && (key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) return undefined;
  return {
    key,
    kid,
    x5t: typeof x5t === "string" ? x5t : undefined,
    jwk: {
      kty,
      ...(typeof crv === "string" ? { crv } : {}),
      ...(typeof alg === "string" ? { alg } : {}),
      ...(typeof use === "string" ? { use } : {}),
      ...(Array.isArray(key_ops) ? { key_ops } : {}),
    },
    text,
  };
}

function index(keys: readonly PublishedKey[], by: (key: PublishedKey) => string | undefined) {
  const map = new Map<string, PublishedKey[]>();
  for (const key of keys) {
    const name = by(key);
    if (name === undefined) continue;
    const list = map.get(name);
    if (list) list.push(key);
    else map.set(name, [key]);
  }
  return map;
}

async function fetchJwksUri(options: SigningKeysOptions): Promise<string> {
  const where = `OpenID configuration ${options.openIdConfigurationUrl.href}`;
  const body = await fetchJson(options, where, options.openIdConfigurationUrl.href);
  const jwksUri = (body as { jwks_uri?: unknown } | null)?.jwks_uri;
  if (typeof jwksUri !== "string" || !URL.canParse(jwksUri)) {
    throw new Error(`signing keys unavailable: ${where} has no valid jwks_uri`);
  }
  // Keys fetched over plain http would let anyone on the path sign tokens.
  if (!isHttpsOrLoopback(new URL(jwksUri))) {
    throw new Error(
      `signing keys unavailable: ${where} names jwks_uri ${jwksUri}, which is not https: (http: only on a loopback host)`,
    );
  }
  return jwksUri;
}

async function fetchJson(options: SigningKeysOptions, what: string, url: string): Promise<unknown> {
  try {
    const response = await options.fetch(url, {
      headers: { accept: "application/json" },
      signal: options.fetchTimeoutMs === undefined ? null : AbortSignal.timeout(options.fetchTimeoutMs),
      redirect: "error", // a redirect could lead to plain http or another host
    });
    if (!response.ok) {
      await response.body?.cancel().catch(() => {});
      throw new Error(`HTTP ${response.status}`);
    }
    return await response.json();
  } catch (error) {
    throw new Error(`signing keys unavailable: ${what}: ${describe(error)}`, { cause: error });
  }
}

/** An error's message and its cause's (fetch's "fetch failed" says little; its cause says ECONNREFUSED...). */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message} (${error.cause.message})` : error.message;
}
