import { randomUUID } from "node:crypto";
import { createTestSigningKeys, serveTestSigningKeys, type TestSigningKeys } from "../../testing/index.ts";

/** The test keys a mock server signs its notifications with, and the 127.0.0.1 server publishing them. */
export interface MockSigning {
  /** The keys: the signer of every notification. */
  readonly keys: TestSigningKeys;
  /** What the bot sets as `auth.openIdConfigurationUrl`. */
  readonly openIdConfigurationUrl: string;
  /** Stops the key server. */
  close(): Promise<void>;
}

/**
 * Makes test keys for `appId` (the testing kit's defaults for issuer, tenant and lifetime) and
 * serves their OpenID configuration and JWKS on 127.0.0.1. Each start gets a new `kid`, so a bot
 * that cached the keys of an earlier run looks them up again instead of failing the signature.
 */
export async function startMockSigning(appId: string, port: number): Promise<MockSigning> {
  const keys = await createTestSigningKeys({ appId, kid: `graph-comms-mock-${randomUUID().slice(0, 8)}` });
  const server = await serveTestSigningKeys(keys, { port });
  return { keys, openIdConfigurationUrl: server.openIdConfigurationUrl, close: () => server.close() };
}

/** The lines a mock command prints about signing: the one URL the bot needs. */
export function signingLines(signing: MockSigning | undefined): string[] {
  if (signing === undefined) {
    return [
      "  They carry no Authorization header: run the bot with auth: false, or pass --app-id to sign them.",
    ];
  }
  return [
    `  Each is signed for app id ${signing.keys.appId} (issuer ${signing.keys.issuer}, kid ${signing.keys.kid}).`,
    "  Set the bot's openIdConfigurationUrl to:",
    `    ${signing.openIdConfigurationUrl}`,
  ];
}
