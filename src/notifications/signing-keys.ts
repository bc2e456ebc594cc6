import { createRemoteJWKSet, errors, type JWTVerifyGetKey } from "jose";
import { NotificationAuthError } from "./notification-auth-error.ts";

/** How the signing keys are found and cached. */
export interface SigningKeysOptions {
  /** The OpenID configuration naming the JWKS (`jwks_uri`). */
  openIdConfigurationUrl: URL;
  /** How long the configuration and keys are cached before they are fetched again, in ms. */
  refreshIntervalMs: number;
  /** The least time between two JWKS fetches caused by an unknown `kid`, in ms. */
  keyRefetchCooldownMs: number;
  /** How long one fetch may take, in ms. */
  fetchTimeoutMs: number;
}

/**
 * A jose key resolver over the JWKS named by an OpenID configuration. The configuration is fetched
 * lazily, shared by concurrent callers, cached for `refreshIntervalMs`, and kept when a refresh
 * fails; the JWKS is cached the same way by jose and fetched once more when a token names an
 * unknown `kid` (at most once per `keyRefetchCooldownMs`). Unreachable or invalid endpoints raise
 * {@link NotificationAuthError} with failure `keys-unavailable`.
 *
 * @example
 * const getKey = createSigningKeys({ openIdConfigurationUrl: new URL(url), refreshIntervalMs: 7_200_000, keyRefetchCooldownMs: 30_000, fetchTimeoutMs: 5_000 });
 * await jwtVerify(token, getKey, { audience: appId });
 */
export function createSigningKeys(options: SigningKeysOptions): JWTVerifyGetKey {
  let current: { jwksUri: string; keys: JWTVerifyGetKey; fetchedAt: number } | undefined;
  let pending: Promise<JWTVerifyGetKey> | undefined;

  async function refresh(): Promise<JWTVerifyGetKey> {
    const jwksUri = await fetchJwksUri(options);
    const keys =
      current?.jwksUri === jwksUri
        ? current.keys
        : createRemoteJWKSet(new URL(jwksUri), {
            cacheMaxAge: options.refreshIntervalMs,
            cooldownDuration: options.keyRefetchCooldownMs,
            timeoutDuration: options.fetchTimeoutMs,
          });
    current = { jwksUri, keys, fetchedAt: Date.now() };
    return keys;
  }

  async function keySet(): Promise<JWTVerifyGetKey> {
    if (current && Date.now() - current.fetchedAt < options.refreshIntervalMs) return current.keys;
    pending ??= refresh().finally(() => {
      pending = undefined;
    });
    try {
      return await pending;
    } catch (error) {
      if (current) return current.keys; // keep the last good configuration while the endpoint is down
      throw error;
    }
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
    const response = await fetch(where, {
      headers: { accept: "application/json" },
      signal: AbortSignal.timeout(options.fetchTimeoutMs),
      redirect: "error",
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    body = await response.json();
  } catch (error) {
    throw new NotificationAuthError(
      "keys-unavailable",
      `OpenID configuration ${where} unavailable: ${describe(error)}`,
      {
        cause: error,
      },
    );
  }
  const jwksUri = (body as { jwks_uri?: unknown } | null)?.jwks_uri;
  if (typeof jwksUri !== "string" || !URL.canParse(jwksUri) || !/^https?:$/.test(new URL(jwksUri).protocol)) {
    throw new NotificationAuthError(
      "keys-unavailable",
      `OpenID configuration ${where} has no valid jwks_uri`,
    );
  }
  return jwksUri;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
