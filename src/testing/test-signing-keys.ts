import { createHash, KeyObject } from "node:crypto";
import { exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from "jose";
import { type HttpHandler, HttpResponse, http } from "msw";
import { graphCallingAppId } from "../core/calling-service.ts";
import { checkNumber, checkRecord, checkType, fail } from "../core/check.ts";
import { checkKeysUrl } from "../core/secure-url.ts";

/** The tenant id the test tokens carry unless told otherwise (a made-up GUID). */
export const testTenantId = "72f988bf-86f1-41af-91ab-2d7cd011db47";
/** Where the MSW handlers serve the OpenID configuration unless told otherwise (`.test` never resolves). */
export const testOpenIdConfigurationUrl =
  "https://keys.graph-comms-kit.test/v1/.well-known/OpenIdConfiguration";

/** Options of {@link createTestSigningKeys}. */
export interface TestSigningKeysOptions {
  /** The bot's application (client) id: the audience (`aud`) of every token. */
  appId: string;
  /**
   * The tenant (`tid`) of every token.
   * @default testTenantId ("72f988bf-86f1-41af-91ab-2d7cd011db47")
   */
  tenantId?: string;
  /**
   * The issuer (`iss`): live calling tokens carry `https://api.botframework.com`; `{tenantid}` is
   * replaced by the token's tenant, for Azure AD's shapes (`https://sts.windows.net/{tenantid}/`).
   * @default "https://api.botframework.com"
   */
  issuer?: string;
  /**
   * The key id (`kid`) in the JWKS and in each token's header.
   * @default the key's thumbprint, also its `x5t` (live tokens name their key so)
   */
  kid?: string;
  /**
   * The signature algorithm of the key and its tokens.
   * @default "RS256"
   */
  algorithm?: "RS256" | "RS384" | "RS512";
  /**
   * How long a token is valid, in seconds (`exp` less `nbf`).
   * @default 300 (as live calling tokens)
   */
  lifetimeSeconds?: number;
  /**
   * The `appid` of the service that requested each token, or `false` for none.
   * @default graphCallingAppId ("26a18ebc-cdf7-4a6a-91cb-beb352805e81", Graph's calling service)
   */
  callerAppId?: string | false;
  /**
   * Where the MSW handlers serve the OpenID configuration (https, or http on loopback); the JWKS is next to it (`/v1/keys`).
   * @default testOpenIdConfigurationUrl ("https://keys.graph-comms-kit.test/v1/.well-known/OpenIdConfiguration")
   */
  openIdConfigurationUrl?: string;
}

/**
 * How to mint one token: every option makes it wrong (or differently shaped) in one way, to test
 * how a receiver takes it. With none, the token is shaped like a live calling token
 * (MicrosoftDocs/bot-docs#2242): header `alg`, `kid`, `typ: "JWT"`, `cty: "JWT"`, `x5t`; claims
 * `tid`, `appid`, `nbf` now, `exp` after the lifetime, `iss`, `aud` = the app id; no `iat`.
 */
export interface MintOptions {
  /**
   * Already expired (`exp` and `nbf` an hour or more in the past, beyond any clock tolerance).
   * @default false
   */
  expired?: boolean;
  /**
   * Not valid yet (`nbf` an hour ahead).
   * @default false
   */
  notYetValid?: boolean;
  /**
   * Another audience, such as another bot's app id.
   * @default the keys' appId
   */
  audience?: string;
  /**
   * Another issuer.
   * @default the keys' issuer
   */
  issuer?: string;
  /**
   * The tenant claim: a tenant id, or `false` for none at all.
   * @default the keys' tenantId
   */
  tenant?: string | false;
  /**
   * Signed with a key the JWKS does not hold (same `kid`): the signature does not verify.
   * @default false
   */
  wrongKey?: boolean;
  /**
   * A `kid` the JWKS does not list.
   * @default the keys' kid
   */
  kid?: string;
  /**
   * Extra claims, or claims to replace (`undefined` removes one, such as `{ exp: undefined }`).
   * @default {}
   */
  claims?: Record<string, unknown>;
  /**
   * Header fields to add or replace (`undefined` removes one: `{ kid: undefined }` for a token
   * selected by `x5t` or by trying each key).
   * @default {}
   */
  header?: Record<string, unknown>;
}

/**
 * A test key pair, published as Microsoft publishes its own (an OpenID configuration naming a JWKS,
 * as MSW `handlers` or with `serveTestSigningKeys(keys)`), and a minter of Graph-shaped tokens; as
 * the Graph mock's `notificationSigner`, its notifications pass the receiver's checks.
 */
export interface TestSigningKeys {
  /** The audience of the tokens. */
  readonly appId: string;
  /** The tenant of the tokens. */
  readonly tenantId: string;
  /** The issuer of the tokens. */
  readonly issuer: string;
  /** The key id. */
  readonly kid: string;
  /** Where {@link TestSigningKeys.handlers} serve the OpenID configuration: the receiver's `auth.openIdConfigurationUrl`. */
  readonly openIdConfigurationUrl: string;
  /** Where {@link TestSigningKeys.handlers} serve the JWKS (named by the configuration's `jwks_uri`). */
  readonly jwksUri: string;
  /** MSW handlers serving the OpenID configuration and the JWKS: `setupServer(...keys.handlers)`. */
  readonly handlers: HttpHandler[];
  /** The key source to give the receiver: `auth: { keySources: [keys.keySource] }` (this issuer, these keys). */
  readonly keySource: { openIdConfigurationUrl: string; issuers: string[] };
  /** The public JWKS (`{ keys: [jwk] }`), each key as Graph publishes its own: `kty`, `use`, `kid`, `x5t`, `n`, `e`. */
  jwks(): { keys: JWK[] };
  /** Mints a token; each option makes it wrong in one way. Also what `notify()` calls as a signer. */
  mint(options?: MintOptions): Promise<string>;
}

const optionKeys = [
  "appId",
  "tenantId",
  "issuer",
  "kid",
  "algorithm",
  "lifetimeSeconds",
  "callerAppId",
  "openIdConfigurationUrl",
] as const;
const mintKeys = [
  "expired",
  "notYetValid",
  "audience",
  "issuer",
  "tenant",
  "wrongKey",
  "kid",
  "claims",
  "header",
] as const;

function checkText(argument: string, value: unknown): string {
  const text = checkType<string>(argument, value, "string");
  if (text.trim() === "") fail(argument, "must not be empty");
  return text;
}

/**
 * Creates an RS256 key pair for tests (jose) and a minter of Graph-shaped notification tokens, with
 * the OpenID configuration and JWKS that publish the public key (see {@link TestSigningKeys}).
 *
 * @example
 * import { setupServer } from "msw/node";
 * import { createGraphHandlers } from "graph-comms-kit/mocks";
 * import { createNotificationHandler } from "graph-comms-kit/notifications";
 * import { createTestSigningKeys } from "graph-comms-kit/testing";
 *
 * const keys = await createTestSigningKeys({ appId: "2a4a42e9-6bd0-4c86-8d3c-4b8e6d1e3a1f" });
 * const graph = createGraphHandlers({ notificationSigner: keys });
 * const server = setupServer(...keys.handlers, ...graph.handlers);
 * const handle = createNotificationHandler({ appId: keys.appId, auth: { openIdConfigurationUrl: keys.openIdConfigurationUrl }, onNotification: console.log });
 * const expired = await keys.mint({ expired: true }); // the receiver answers 401
 */
export async function createTestSigningKeys(options: TestSigningKeysOptions): Promise<TestSigningKeys> {
  checkRecord("options", options, optionKeys);
  const appId = checkText("options.appId", options.appId);
  const tenantId =
    options.tenantId === undefined ? testTenantId : checkText("options.tenantId", options.tenantId);
  const issuer =
    options.issuer === undefined
      ? "https://api.botframework.com"
      : checkText("options.issuer", options.issuer);
  const algorithm = options.algorithm ?? "RS256";
  if (!["RS256", "RS384", "RS512"].includes(algorithm)) {
    fail("options.algorithm", `must be RS256, RS384 or RS512, got ${String(algorithm)}`);
  }
  const lifetime =
    options.lifetimeSeconds === undefined
      ? 300
      : checkNumber("options.lifetimeSeconds", options.lifetimeSeconds, 1, true);
  const callerAppId =
    options.callerAppId === undefined || options.callerAppId === false
      ? (options.callerAppId ?? graphCallingAppId)
      : checkText("options.callerAppId", options.callerAppId);
  const configUrl = checkKeysUrl(
    "options.openIdConfigurationUrl",
    options.openIdConfigurationUrl ?? testOpenIdConfigurationUrl,
  );
  // `/v1/.well-known/OpenIdConfiguration` -> `/v1/keys`, as the 127.0.0.1 server has it.
  const wellKnown = configUrl.pathname.indexOf("/.well-known/");
  const jwksUri = new URL(
    wellKnown >= 0 ? `${configUrl.pathname.slice(0, wellKnown)}/keys` : "keys",
    configUrl,
  ).href;
  const { privateKey, publicKey } = await generateKeyPair(algorithm, { extractable: true });
  // A stand-in for the certificate's SHA-1 thumbprint Microsoft's keys carry as x5t (and as kid).
  const spki = KeyObject.from(publicKey).export({ format: "der", type: "spki" });
  const x5t = createHash("sha1").update(spki).digest("base64url");
  const kid = options.kid === undefined ? x5t : checkText("options.kid", options.kid);
  const { n, e } = (await exportJWK(publicKey)) as { n: string; e: string };
  const publicJwk: JWK = { kty: "RSA", use: "sig", kid, x5t, n, e };
  let stranger: CryptoKey | undefined; // the "wrong key", made on first use

  const keys: TestSigningKeys = {
    appId,
    tenantId,
    issuer,
    kid,
    openIdConfigurationUrl: configUrl.href,
    jwksUri,
    handlers: [
      http.get(configUrl.href, () => HttpResponse.json(openIdConfiguration(issuer, jwksUri))),
      http.get(jwksUri, () => HttpResponse.json(keys.jwks())),
    ],
    keySource: { openIdConfigurationUrl: configUrl.href, issuers: [issuer] },
    jwks: () => ({ keys: [{ ...publicJwk }] }),
    async mint(mint: MintOptions = {}) {
      checkRecord("options", mint, mintKeys);
      for (const flag of ["expired", "notYetValid", "wrongKey"] as const) {
        if (mint[flag] !== undefined) checkType(`options.${flag}`, mint[flag], "boolean");
      }
      const now = Math.floor(Date.now() / 1000);
      const start = mint.expired ? now - 2 * 3600 - lifetime : mint.notYetValid ? now + 3600 : now;
      const tenant = mint.tenant === undefined ? tenantId : mint.tenant;
      if (tenant !== false) checkText("options.tenant", tenant);
      const iss = mint.issuer === undefined ? issuer : checkText("options.issuer", mint.issuer);
      // The claims in a live token's order.
      const claims: Record<string, unknown> = {
        ...(tenant === false ? {} : { tid: tenant }),
        ...(callerAppId === false ? {} : { appid: callerAppId }),
        nbf: start,
        exp: mint.expired ? now - 3600 : start + lifetime,
        iss: tenant === false ? iss : iss.replace("{tenantid}", tenant),
        aud: mint.audience === undefined ? appId : checkText("options.audience", mint.audience),
        ...(mint.claims === undefined
          ? {}
          : checkType<Record<string, unknown>>("options.claims", mint.claims, "object")),
      };
      const header: Record<string, unknown> = {
        alg: algorithm,
        kid: mint.kid === undefined ? kid : checkText("options.kid", mint.kid),
        typ: "JWT",
        cty: "JWT", // live tokens say so, though their payload is not a nested JWT
        x5t,
        ...(mint.header === undefined
          ? {}
          : checkType<Record<string, unknown>>("options.header", mint.header, "object")),
      };
      if (mint.wrongKey) stranger ??= (await generateKeyPair(algorithm)).privateKey;
      return new SignJWT(defined(claims) as JWTPayload)
        .setProtectedHeader(defined(header) as { alg: string })
        .sign(mint.wrongKey && stranger ? stranger : privateKey);
    },
  };
  return keys;
}

/** The entries of `record` whose value is not `undefined`. */
function defined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}

/** The OpenID configuration document naming the JWKS, as Microsoft's names its own. */
export function openIdConfiguration(issuer: string, jwksUri: string): Record<string, unknown> {
  return { issuer, jwks_uri: jwksUri, id_token_signing_alg_values_supported: ["RS256"] };
}
