/**
 * What the testing kit (`src/testing/`) does not offer, for the verifier's own tests: keys of any
 * algorithm signing any claims, and a JWKS on 127.0.0.1 whose keys rotate and whose endpoints fail
 * on demand, counting hits. Everything else uses the kit (`createTestSigningKeys`,
 * `serveTestSigningKeys`).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from "jose";
import { NotificationAuthError } from "../../src/notifications/errors.ts";
import { testTenantId } from "../../src/testing/index.ts";
import { openIdConfiguration } from "../../src/testing/test-signing-keys.ts";
import { listenLocal } from "./listen-local.ts";
import { appId } from "./seed-ids.ts";

export { appId };
export const tenantId = testTenantId;

export interface SigningKey {
  kid: string;
  /** The JWS algorithm the key signs with. */
  alg: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

/** A new key pair for `alg` (RS256 as Graph uses, unless told), published under `kid`. */
export async function newSigningKey(kid: string, alg = "RS256"): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: "sig" } };
}

/** Claims of a token Graph would send to `appId`, valid for an hour. */
export function graphClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: "https://graph.microsoft.com",
    aud: appId,
    tid: tenantId,
    iat: now,
    nbf: now,
    exp: now + 3600,
    ...overrides,
  };
}

/** Signs `claims` with `key` (its algorithm and kid in the header). Claims set to `undefined` are left out. */
export async function sign(
  key: SigningKey,
  claims: Record<string, unknown> = graphClaims(),
): Promise<string> {
  const payload: JWTPayload = Object.fromEntries(Object.entries(claims).filter(([, v]) => v !== undefined));
  return new SignJWT(payload)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: "JWT" })
    .sign(key.privateKey);
}

export interface KeyServer {
  openIdConfigurationUrl: string;
  /** The keys the JWKS endpoint serves now. */
  keys: SigningKey[];
  configHits: number;
  jwksHits: number;
  /** The configuration endpoint answers 503. */
  configDown: boolean;
  /** The JWKS endpoint drops connections. */
  jwksDown: boolean;
  /** The `jwks_uri` the configuration names instead of this server's own JWKS endpoint. */
  jwksUri: string | undefined;
  close(): Promise<void>;
}

/** Serves `keys` as a JWKS behind an OpenID configuration on 127.0.0.1, with the faults of {@link KeyServer}. */
export async function startKeyServer(keys: SigningKey[]): Promise<KeyServer> {
  const state: Omit<KeyServer, "openIdConfigurationUrl" | "close"> = {
    keys,
    configHits: 0,
    jwksHits: 0,
    configDown: false,
    jwksDown: false,
    jwksUri: undefined,
  };
  const server = createServer((req, res) => {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    if (req.url === "/v1/.well-known/OpenIdConfiguration") {
      state.configHits++;
      if (state.configDown) return res.writeHead(503).end();
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(
        JSON.stringify(openIdConfiguration("https://api.botframework.com", state.jwksUri ?? `${base}/keys`)),
      );
    }
    if (req.url === "/keys") {
      state.jwksHits++;
      if (state.jwksDown) return req.socket.destroy();
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(JSON.stringify({ keys: state.keys.map((k) => k.publicJwk) }));
    }
    res.writeHead(404).end();
  });
  const { origin, close } = await listenLocal(server);
  return Object.assign(state, {
    openIdConfigurationUrl: `${origin}/v1/.well-known/OpenIdConfiguration`,
    /** Stops the server; calling it again (a test that closed it early, then afterEach) is a no-op. */
    close,
  });
}

/** The {@link NotificationAuthError} `promise` rejects with; anything else (or success) fails the test. */
export async function authFailure(promise: Promise<unknown>): Promise<NotificationAuthError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof NotificationAuthError)) {
    throw new Error(`expected NotificationAuthError, got ${String(error)}`);
  }
  return error;
}
