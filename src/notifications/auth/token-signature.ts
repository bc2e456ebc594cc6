/**
 * JWS signature checks with node:crypto's one-shot `crypto.verify`. Key selection stays
 * with jose; this only maps an algorithm name to node:crypto's parameters. fast-jwt, used before,
 * builds a `Verify` stream per token and cannot be given the one-shot check: that cost about 20 µs
 * a token here, on top of RSA's own 30. The check runs on libuv's thread pool (the callback form),
 * so new tokens do not hold the event loop for RSA, which reads other requests meanwhile: over
 * HTTP, with the server on one CPU, it answered more fresh-token requests per second than the
 * synchronous form in 9 of 10 A/B pairs (7-16% more in the last six), though one verification
 * awaited alone takes about twice as long (the hop to a pool thread and back).
 */
import { constants, type KeyObject, type VerifyKeyObjectInput, verify } from "node:crypto";

/** How node:crypto checks one JWS algorithm's signatures. */
export interface SignatureCheck {
  /** The digest (`null` for EdDSA, which names its own). */
  readonly digest: string | null;
  /** Padding and signature encoding beyond the key itself (RSASSA-PSS, ECDSA's raw `r || s`). */
  readonly options: Omit<VerifyKeyObjectInput, "key">;
}

const pss = { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST };
const ecdsa = { dsaEncoding: "ieee-p1363" } as const;

/** The asymmetric algorithms of RFC 7518 §3.1 (and RFC 8037's EdDSA) that notification tokens may use. */
const checks: ReadonlyMap<string, SignatureCheck> = new Map([
  ["RS256", { digest: "sha256", options: {} }],
  ["RS384", { digest: "sha384", options: {} }],
  ["RS512", { digest: "sha512", options: {} }],
  ["PS256", { digest: "sha256", options: pss }],
  ["PS384", { digest: "sha384", options: pss }],
  ["PS512", { digest: "sha512", options: pss }],
  ["ES256", { digest: "sha256", options: ecdsa }],
  ["ES384", { digest: "sha384", options: ecdsa }],
  ["ES512", { digest: "sha512", options: ecdsa }],
  ["EdDSA", { digest: null, options: {} }],
]);

/** The signature algorithms a verifier can be configured with. */
export const supportedAlgorithms: readonly string[] = [...checks.keys()];

/** How `alg` is checked, or `undefined` for an algorithm this module does not check. */
export function signatureCheckFor(alg: string): SignatureCheck | undefined {
  return checks.get(alg);
}

/** The `key` argument of `crypto.verify` for one key under one algorithm, made once and reused. */
export function verifyKeyInput(key: KeyObject, check: SignatureCheck): VerifyKeyObjectInput {
  return { ...check.options, key };
}

/**
 * Resolves to true when the compact JWS `token`, whose signature starts after the dot at `lastDot`,
 * is signed under `check` by the key in `keyInput`; never rejects. The caller has checked that the
 * token is base64url characters and dots only, so the signing input is ASCII.
 */
export function hasValidSignature(
  token: string,
  lastDot: number,
  check: SignatureCheck,
  keyInput: VerifyKeyObjectInput,
): Promise<boolean> {
  const signature = Buffer.from(token.slice(lastDot + 1), "base64url");
  const input = Buffer.from(token.slice(0, lastDot), "latin1");
  return new Promise((resolve) => {
    // A key that does not fit the algorithm is an error, thrown at once or passed to the callback
    // depending on where OpenSSL notices it; a signature of the wrong length is just invalid.
    try {
      verify(check.digest, input, keyInput, signature, (error, valid) => resolve(error === null && valid));
    } catch {
      resolve(false);
    }
  });
}
