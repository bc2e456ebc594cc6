/**
 * `graph-comms-kit/testing` (Node only): test signing keys for running a bot's notification
 * receiver with token checks on. An RS256 key pair, a minter of Graph-shaped tokens (right, or
 * wrong in one chosen way), and the OpenID configuration + JWKS that publish the key, as MSW
 * handlers or a 127.0.0.1 server. The keys are also a signer for the Graph mock's `notify()`.
 *
 * @packageDocumentation
 */

export { InvalidArgumentError } from "../core/errors.ts";
export { type KeyServerOptions, type RunningKeyServer, serveTestSigningKeys } from "./key-server.ts";
export {
  createTestSigningKeys,
  type MintOptions,
  type TestSigningKeys,
  type TestSigningKeysOptions,
  testOpenIdConfigurationUrl,
  testTenantId,
} from "./test-signing-keys.ts";
