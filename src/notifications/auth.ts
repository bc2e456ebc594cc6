import { errors, type JWTPayload, jwtVerify } from "jose";
import { normalizeId } from "../core/operation-id.ts";
import { NotificationAuthError } from "./errors.ts";
import { createSigningKeys } from "./signing-keys.ts";

/** Where Graph's notification signing keys are published. */
export const defaultOpenIdConfigurationUrl = "https://api.aps.skype.com/v1/.well-known/OpenIdConfiguration";
/** The issuers Graph's notification tokens carry. */
export const defaultIssuers: readonly string[] = [
  "https://graph.microsoft.com",
  "https://api.botframework.com",
];
const tenantClaims = ["tid", "http://schemas.microsoft.com/identity/claims/tenantid"] as const;
const maxTokenLength = 16_384;

/** How notification tokens are verified. Every option has a default suited to Graph. */
export interface NotificationAuthOptions {
  /** The OpenID configuration naming the JWKS. Default {@link defaultOpenIdConfigurationUrl}. */
  openIdConfigurationUrl?: string | URL;
  /** Accepted `iss` values. Default {@link defaultIssuers}. */
  issuers?: readonly string[];
  /** Accepted tenant ids (any spelling of a GUID). Default: any tenant, but a tenant claim must be present. */
  allowedTenants?: readonly string[];
  /** Accepted signature algorithms. Default `["RS256"]`; HMAC and `none` are never accepted. */
  algorithms?: readonly string[];
  /** Clock skew allowed for `exp` and `nbf`, in seconds. Default 60. */
  clockToleranceSeconds?: number;
  /** How long the OpenID configuration and keys are cached, in ms. Default 2 hours. */
  refreshIntervalMs?: number;
  /** The least time between two key fetches caused by an unknown `kid`, in ms. Default 30 s. */
  keyRefetchCooldownMs?: number;
  /** How long fetching the configuration or keys may take, in ms. Default 5 s. */
  fetchTimeoutMs?: number;
  /**
   * The fetch used to get the configuration and keys. Default: the global `fetch`, looked up at each
   * call. Pass one that bypasses request interception (MSW) in tests that intercept `fetch`.
   */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
}

/** A token that passed every check. */
export interface VerifiedToken {
  /** All claims of the token. */
  claims: JWTPayload;
  /** The tenant id from `tid` or the `…/claims/tenantid` claim. */
  tenantId: string;
}

/** Verifies the `Authorization` header of a notification request. */
export interface NotificationVerifier {
  /** Resolves with the token's claims, or rejects with {@link NotificationAuthError}. */
  verify(authorization: string | null | undefined): Promise<VerifiedToken>;
}

/**
 * Creates a verifier for the bearer JWTs Graph signs notifications with: signature against the JWKS
 * named by the OpenID configuration, issuer, audience (= `appId`), `exp` (required) and `nbf` with a
 * small clock tolerance, a tenant claim present and optionally allow-listed.
 *
 * @example
 * const verifier = createNotificationVerifier("2a4a42e9-6bd0-4c86-8d3c-4b8e6d1e3a1f");
 * const { tenantId } = await verifier.verify(request.headers.get("authorization"));
 */
export function createNotificationVerifier(
  appId: string,
  options: NotificationAuthOptions = {},
): NotificationVerifier {
  if (typeof appId !== "string" || appId.trim() === "") {
    throw new TypeError("appId must be a non-empty string");
  }
  const settings = readOptions(options);
  const getKey = createSigningKeys(settings.keys);
  // Built once: jose takes mutable arrays, and these never change between requests.
  const verifyOptions = {
    issuer: [...settings.issuers],
    audience: appId,
    algorithms: [...settings.algorithms],
    clockTolerance: settings.clockToleranceSeconds,
    requiredClaims: ["exp"],
  };

  return {
    async verify(authorization) {
      const token = bearerToken(authorization);
      let claims: JWTPayload;
      try {
        ({ payload: claims } = await jwtVerify(token, getKey, verifyOptions));
      } catch (error) {
        if (error instanceof NotificationAuthError) throw error;
        throw new NotificationAuthError("invalid-token", `token rejected: ${reason(error)}`, {
          cause: error,
        });
      }
      const tenantId = tenantOf(claims);
      if (settings.allowedTenants && !settings.allowedTenants.has(normalizeId(tenantId))) {
        throw new NotificationAuthError("invalid-token", "token rejected: tenant is not allowed");
      }
      return { claims, tenantId };
    },
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

function tenantOf(claims: JWTPayload): string {
  for (const name of tenantClaims) {
    const value = claims[name];
    if (typeof value === "string" && value.trim() !== "") return value;
  }
  throw new NotificationAuthError("invalid-token", "token rejected: no tenant claim (tid)");
}

function reason(error: unknown): string {
  if (error instanceof errors.JWKSNoMatchingKey) return "no signing key matches the token's kid";
  if (error instanceof errors.JWSSignatureVerificationFailed) return "signature verification failed";
  if (error instanceof errors.JOSEAlgNotAllowed) return "signature algorithm not allowed";
  if (error instanceof errors.JOSEError) return error.message;
  return "malformed token";
}

function readOptions(options: NotificationAuthOptions) {
  if (typeof options !== "object" || options === null) {
    throw new TypeError("auth must be an options object or false");
  }
  const url = options.openIdConfigurationUrl ?? defaultOpenIdConfigurationUrl;
  if (!URL.canParse(String(url))) {
    throw new TypeError(`auth.openIdConfigurationUrl is not a URL: ${String(url)}`);
  }
  const algorithms = options.algorithms ?? ["RS256"];
  const weak = algorithms.find((alg) => /^(none|HS\d+)$/i.test(alg));
  if (algorithms.length === 0 || weak !== undefined) {
    throw new TypeError(`auth.algorithms must list asymmetric algorithms${weak ? ` (not ${weak})` : ""}`);
  }
  if (options.allowedTenants !== undefined && options.allowedTenants.length === 0) {
    throw new TypeError("auth.allowedTenants must not be empty (leave it out to accept any tenant)");
  }
  const issuers = options.issuers ?? defaultIssuers;
  if (issuers.length === 0) throw new TypeError("auth.issuers must not be empty");
  return {
    issuers,
    algorithms,
    allowedTenants: options.allowedTenants ? new Set(options.allowedTenants.map(normalizeId)) : undefined,
    clockToleranceSeconds: nonNegative("clockToleranceSeconds", options.clockToleranceSeconds, 60),
    keys: {
      openIdConfigurationUrl: new URL(String(url)),
      refreshIntervalMs: nonNegative("refreshIntervalMs", options.refreshIntervalMs, 2 * 60 * 60 * 1000),
      keyRefetchCooldownMs: nonNegative("keyRefetchCooldownMs", options.keyRefetchCooldownMs, 30_000),
      fetchTimeoutMs: nonNegative("fetchTimeoutMs", options.fetchTimeoutMs, 5_000, true),
      fetch: readFetch(options.fetch),
    },
  };
}

function readFetch(
  custom: NotificationAuthOptions["fetch"],
): (url: string, init: RequestInit) => Promise<Response> {
  if (custom === undefined) return (url, init) => globalThis.fetch(url, init);
  if (typeof custom !== "function") throw new TypeError("auth.fetch must be a function");
  return custom;
}

function nonNegative(name: string, value: number | undefined, fallback: number, nonZero = false): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || (nonZero && value === 0)) {
    throw new TypeError(
      `auth.${name} must be a finite number ${nonZero ? ">" : ">="} 0, got ${String(value)}`,
    );
  }
  return value;
}
