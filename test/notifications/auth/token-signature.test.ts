import { generateKeyPairSync, sign } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  hasValidSignature,
  type SignatureCheck,
  signatureCheckFor,
  verifyKeyInput,
} from "../../../src/notifications/auth/token-signature.ts";

const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
const ed25519 = generateKeyPairSync("ed25519");
const rs256 = signatureCheckFor("RS256") as SignatureCheck;
/** A compact JWS with an RS256 signature over its first two segments. */
const input = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJib3QifQ";
const token = `${input}.${sign("sha256", Buffer.from(input), rsa.privateKey).toString("base64url")}`;
const lastDot = token.lastIndexOf(".");

describe("hasValidSignature", () => {
  it("resolves true for the key that signed, and false for a changed signing input", async () => {
    const key = verifyKeyInput(rsa.publicKey, rs256);
    await expect(hasValidSignature(token, lastDot, rs256, key)).resolves.toBe(true);
    const changed = `${input.slice(0, -1)}R${token.slice(lastDot)}`;
    await expect(hasValidSignature(changed, lastDot, rs256, key)).resolves.toBe(false);
  });

  it("resolves false, not an error, for a key that does not fit the algorithm", async () => {
    // OpenSSL notices this on the thread pool, so the callback gets the error.
    const key = verifyKeyInput(ed25519.publicKey, rs256);
    await expect(hasValidSignature(token, lastDot, rs256, key)).resolves.toBe(false);
  });

  it("resolves false, not an error, for a check node:crypto refuses at once", async () => {
    const unknownDigest: SignatureCheck = { digest: "no-such-digest", options: {} };
    const key = verifyKeyInput(rsa.publicKey, unknownDigest);
    await expect(hasValidSignature(token, lastDot, unknownDigest, key)).resolves.toBe(false);
  });
});
