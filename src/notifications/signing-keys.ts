import { createRemoteJWKSet, customFetch, errors, type JWTVerifyGetKey, type RemoteJWKSet } from "jose";
import { NotificationAuthError } from "./errors.ts";

/** How the signing keys are found and cached. */
export interface SigningKeysOptions {
  /** The OpenID configuration naming the JWKS (`jwks_uri`). */
  openIdConfigurationUrl: URL;
  /** How often the configuration and keys are fetched again (in the background), in ms. */
  refreshIntervalMs: number;
  /** The least time between two JWKS fetches caused by an unknown `kid`, in ms. */
  keyRefetchCooldownMs: number;
  /** How long one fetch may take, in ms. */
  fetchTimeoutMs: number;
  /** The fetch used for both endpoints. */
  fetch: (url: string, init: RequestInit) => Promise<Response>;
}

/**
 * A jose key resolver over the JWKS named by an OpenID configuration. The configuration and keys
 * are fetched lazily on first use (one fetch shared by concurrent callers), then refreshed in the
 * background every `refreshIntervalMs` while the last good keys keep serving, so an outage of
 * either endpoint after start-up does not refuse good tokens (a failed refresh is retried within a
 * minute). A token naming an unknown `kid` makes jose fetch the JWKS once more (at most once per
 * `keyRefetchCooldownMs`): key rotation. When no keys could ever be fetched, the resolver raises
 * {@link NotificationAuthError} with failure `keys-unavailable`.
 *
 * @example
 * const getKey = createSigningKeys({ openIdConfigurationUrl: new URL(url), refreshIntervalMs: 7_200_000, keyRefetchCooldownMs: 30_000, fetchTimeoutMs: 5_000, fetch });
 * await jwtVerify(token, getKey, { audience: appId });
 */
export function createSigningKeys(options: SigningKeysOptions): JWTVerifyGetKey {
  let current: { jwksUri: string; keys: RemoteJWKSet } | undefined;
  let nextRefreshAt = 0;
  let pending: Promise<RemoteJWKSet> | undefined;

  async function load(): Promise<RemoteJWKSet> {
    const jwksUri = await fetchJwksUri(options);
    if (current?.jwksUri === jwksUri) {
      await current.keys.reload();
    } else {
      const keys = createRemoteJWKSet(new URL(jwksUri), {
        cacheMaxAge: Number.POSITIVE_INFINITY, // refreshed here, so a JWKS outage keeps the last good keys
        cooldownDuration: options.keyRefetchCooldownMs,
        timeoutDuration: options.fetchTimeoutMs,
        [customFetch]: (url, init) => options.fetch(url, init),
      });
      await keys.reload().catch((error: unknown) => {
        throw new NotificationAuthError(
          "keys-unavailable",
          `signing keys unavailable: JWKS ${jwksUri}: ${describe(error)}`,
          {
            cause: error,
          },
        );
      });
      current = { jwksUri, keys };
    }
    nextRefreshAt = Date.now() + options.refreshIntervalMs;
    return current.keys;
  }

  function loadOnce(): Promise<RemoteJWKSet> {
    pending ??= load().finally(() => {
      pending = undefined;
    });
    return pending;
  }

  async function keySet(): Promise<RemoteJWKSet> {
    if (!current) return loadOnce();
    if (Date.now() >= nextRefreshAt) {
      loadOnce().catch(() => {
        nextRefreshAt = Date.now() + Math.min(options.refreshIntervalMs, 60_000);
      });
    }
    return current.keys;
  }

  return async (protectedHeader, token) => {
    const keys = await keySet();
    try {
      return await keys(protectedHeader, token);
    } catch (error) {
      if (
        error instanceof errors.JWKSNoMatchingKey ||
        error instanceof errors.JWKSMultipleMatchingKeys ||
        error instanceof errors.JOSENotSupported
      ) {
        throw error;
      }
      throw new NotificationAuthError("keys-unavailable", `signing keys unavailable: ${describe(error)}`, {
        cause: error,
      });
    }
  };
}

async function fetchJwksUri(options: SigningKeysOptions): Promise<string> {
  const where = options.openIdConfigurationUrl.href;
  let body: unknown;
  try {
    const response = await options.fetch(where, {
      headers: { accept: "application/json" },
      signal: AbortSignal.timeout(options.fetchTimeoutMs),
      redirect: "error",
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    body = await response.json();
  } catch (error) {
    throw new NotificationAuthError(
      "keys-unavailable",
      `signing keys unavailable: OpenID configuration ${where}: ${describe(error)}`,
      {
        cause: error,
      },
    );
  }
  const jwksUri = (body as { jwks_uri?: unknown } | null)?.jwks_uri;
  if (typeof jwksUri !== "string" || !URL.canParse(jwksUri) || !/^https?:$/.test(new URL(jwksUri).protocol)) {
    throw new NotificationAuthError(
      "keys-unavailable",
      `signing keys unavailable: OpenID configuration ${where} has no valid jwks_uri`,
    );
  }
  return jwksUri;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
