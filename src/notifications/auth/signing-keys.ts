import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey } from "jose";
import { isHttpsOrLoopback } from "../../core/secure-url.ts";
import { NotificationAuthError } from "../errors.ts";

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

/** The signing keys: a jose key resolver, and what the token cache needs to know about the keys. */
export interface SigningKeys {
  /** Resolves a token's verification key; rejects with `keys-unavailable` when no keys can be had. */
  getKey: JWTVerifyGetKey;
  /** What the current JWKS publishes under `kid` (a fingerprint of the public key), or `undefined`. */
  keyFingerprint(kid: string): string | undefined;
  /** Starts a background refresh when one is due and no back-off holds it; cheap when none is. */
  refreshIfDue(): void;
}

/** The wait after the first failed fetch; it doubles after each further failure, up to {@link maxBackoffMs}. */
export const minBackoffMs = 1_000;
/** The longest wait between two fetch attempts during an outage. */
export const maxBackoffMs = 60_000;
/** What a refused request is told during an outage: no URL, no library text (those go to the log). */
export const keysUnavailableMessage = "signing keys unavailable, try again later";

interface KeySet {
  jwksUri: string;
  resolve: ReturnType<typeof createLocalJWKSet>;
  fingerprints: Map<string, string>;
}

/**
 * The signing keys behind the JWKS named by an OpenID configuration. Fetched lazily on first use,
 * then refreshed in the background every `refreshIntervalMs` while the last good keys keep serving.
 * A token naming an unknown `kid` refetches the JWKS at most once per `keyRefetchCooldownMs` (key
 * rotation). One fetch is in flight at a time, shared by every request; after a failure no fetch
 * is tried for {@link minBackoffMs}, doubling per failure up to {@link maxBackoffMs}, so junk tokens
 * during an outage cannot multiply fetches. The outage is logged once with its
 * detail, and so is the recovery; requests are refused with `keys-unavailable` and a message
 * without detail (the detail is the error's `cause`).
 *
 * The keys are selected by jose's `createLocalJWKSet`; the fetching is ours because
 * `createRemoteJWKSet` starts its refetch cooldown only at a success, so during a JWKS outage
 * every unknown-`kid` token fetches again, and it cannot report which kids a refresh removed.
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
    inFlight ??= load(options, jwksOnly ? current?.jwksUri : undefined)
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

  async function getKey(...args: Parameters<JWTVerifyGetKey>) {
    if (!current) {
      if (Date.now() >= retryAt) await fetchKeys(false);
      if (!current) throw unavailable();
    } else {
      refreshIfDue();
    }
    try {
      return await current.resolve(...args);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey)) throw error;
      // An unknown kid: a rotated key, or a junk token. During an outage we cannot tell, so the
      // answer is "unavailable" (retry later) rather than "invalid" (do not retry).
      const now = Date.now();
      if (now < retryAt) throw unavailable();
      if (now < lastFetchedAt + options.keyRefetchCooldownMs) throw error;
      if (!(await fetchKeys(true))) throw unavailable();
      return (current as KeySet).resolve(...args);
    }
  }

  return {
    getKey,
    keyFingerprint: (kid) => current?.fingerprints.get(kid),
    refreshIfDue,
  };
}

/** Fetches the configuration (unless `jwksUri` is known) and the JWKS; rejects with an Error whose message is the detail. */
async function load(options: SigningKeysOptions, jwksUri?: string): Promise<KeySet> {
  const uri = jwksUri ?? (await fetchJwksUri(options));
  const jwks = await fetchJson(options, `JWKS ${uri}`, uri);
  let resolve: KeySet["resolve"];
  try {
    resolve = createLocalJWKSet(jwks as JSONWebKeySet);
  } catch (error) {
    throw new Error(`signing keys unavailable: JWKS ${uri}: ${describe(error)}`, { cause: error });
  }
  return { jwksUri: uri, resolve, fingerprints: fingerprintsOf(jwks as JSONWebKeySet) };
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

/** Each kid's public key material, so a kid whose key was replaced counts as removed. */
function fingerprintsOf(jwks: JSONWebKeySet): Map<string, string> {
  const fingerprints = new Map<string, string>();
  for (const { kid, kty, alg, n, e, crv, x, y } of jwks.keys) {
    if (typeof kid !== "string") continue;
    const print = JSON.stringify([kty, alg, n, e, crv, x, y]);
    fingerprints.set(kid, (fingerprints.get(kid) ?? "") + print);
  }
  return fingerprints;
}

/** An error's message and its cause's (fetch's "fetch failed" says little; its cause says ECONNREFUSED...). */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message} (${error.cause.message})` : error.message;
}
