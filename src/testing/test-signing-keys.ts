import { exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from "jose";
import { type HttpHandler, HttpResponse, http } from "msw";
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
   * The issuer (`iss`): Graph signs with `https://graph.microsoft.com` or `https://api.botframework.com`.
   * @default "https://graph.microsoft.com"
   */
  issuer?: string;
  /**
   * The key id (`kid`) in the JWKS and in each token's header.
   * @default "graph-comms-kit-test-key"
   */
  kid?: string;
  /**
   * How long a token is valid, in seconds.
   * @default 3600
   */
  lifetimeSeconds?: number;
  /**
   * Where the MSW handlers serve the OpenID configuration (https, or http on loopback); the JWKS is next to it (`/v1/keys`).
   * @default testOpenIdConfigurationUrl ("https://keys.graph-comms-kit.test/v1/.well-known/OpenIdConfiguration")
   */
  openIdConfigurationUrl?: string;
}

/** How to mint one token: with no option, one Graph would send; each option makes it wrong in one way. */
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
  /** The public JWKS (`{ keys: [jwk] }`). */
  jwks(): { keys: JWK[] };
  /** Mints a token; each option makes it wrong in one way. Also what `notify()` calls as a signer. */
  mint(options?: MintOptions): Promise<string>;
}

const optionKeys = [
  "appId",
  "tenantId",
  "issuer",
  "kid",
  "lifetimeSeconds",
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
      ? "https://graph.microsoft.com"
      : checkText("options.issuer", options.issuer);
  const kid = options.kid === undefined ? "graph-comms-kit-test-key" : checkText("options.kid", options.kid);
  const lifetime =
    options.lifetimeSeconds === undefined
      ? 3600
      : checkNumber("options.lifetimeSeconds", options.lifetimeSeconds, 1, true);
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
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" };
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
      const claims: Record<string, unknown> = {
        iss: mint.issuer === undefined ? issuer : checkText("options.issuer", mint.issuer),
        aud: mint.audience === undefined ? appId : checkText("options.audience", mint.audience),
        ...(tenant === false ? {} : { tid: tenant }),
        iat: Math.min(now, start),
        nbf: start,
        exp: mint.expired ? now - 3600 : start + lifetime,
        ...(mint.claims === undefined
          ? {}
          : checkType<Record<string, unknown>>("options.claims", mint.claims, "object")),
      };
      const payload = Object.fromEntries(
        Object.entries(claims).filter(([, v]) => v !== undefined),
      ) as JWTPayload;
      if (mint.wrongKey) stranger ??= (await generateKeyPair("RS256")).privateKey;
      return new SignJWT(payload)
        .setProtectedHeader({
          alg: "RS256",
          typ: "JWT",
          kid: mint.kid === undefined ? kid : checkText("options.kid", mint.kid),
        })
        .sign(mint.wrongKey && stranger ? stranger : privateKey);
    },
  };
  return keys;
}

/** The OpenID configuration document naming the JWKS, as Microsoft's names its own. */
export function openIdConfiguration(issuer: string, jwksUri: string): Record<string, unknown> {
  return { issuer, jwks_uri: jwksUri, id_token_signing_alg_values_supported: ["RS256"] };
}
