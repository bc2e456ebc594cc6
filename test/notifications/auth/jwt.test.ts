/**
 * The JWT unit against known answers: the RFC 7515 and RFC 7520 examples (signatures made by
 * others, checked here by node:crypto), and the claims of a live calling token.
 */
import { constants, createPublicKey, generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { base64url } from "jose";
import { describe, expect, it } from "vitest";
import {
  type ClaimRules,
  checkClaims,
  hasValidSignature,
  readHeader,
  splitToken,
  supportedAlgorithms,
  verifyJwt,
} from "../../../src/notifications/auth/jwt.ts";
import { NotificationAuthError } from "../../../src/notifications/errors.ts";

/** RFC 7515 Appendix A.2: the RSA public key of the RS256 example. */
const rfc7515A2Key = createPublicKey({
  key: {
    kty: "RSA",
    e: "AQAB",
    n:
      "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-" +
      "SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQO" +
      "S-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q" +
      "2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ",
  },
  format: "jwk",
});
/** RFC 7515 Appendix A.2.1: the RS256 JWS of `{"iss":"joe",…,"exp":1300819380,…}` (CRLFs in its JSON). */
const rfc7515A2Token =
  "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19y" +
  "b290Ijp0cnVlfQ.cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8" +
  "W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07" +
  "Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6L" +
  "bgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw";

/** RFC 7520 §3.4 (Figure 3): Bilbo Baggins's RSA public key, used by §4.1 and §4.2. */
const rfc7520Key = createPublicKey({
  key: {
    kty: "RSA",
    e: "AQAB",
    n:
      "n4EPtAOCc9AlkeQHPzHStgAbgs7bTZLwUBZdR8_KuKPEHLd4rHVTeT-O-XV2jRojdNhxJWTDvNd7nqQ0VEiZQHz_AJmSCpMaJMRB" +
      "SFKrKb2wqVwGU_NsYOYL-QtiWN2lbzcEe6XC0dApr5ydQLrHqkHHig3RBordaZ6Aj-oBHqFEHYpPe7Tpe-OfVfHd1E6cS6M1FZcD" +
      "1NNLYD5lFHpPI9bTwJlsde3uhGqC0ZCuEHg8lhzwOHrtIQbS0FVbb9k3-tVTU4fg_3L_vniUFAKwuCLqKnS2BYwdq_mzSnbLY7h_" +
      "qixoR7jig3__kRhuaxwUkRz5iaiQkqgc5gHdrNP5zw",
  },
  format: "jwk",
});
/** RFC 7520 §4 (Figure 7): the payload, a quotation (not JSON). */
const rfc7520Payload =
  "SXTigJlzIGEgZGFuZ2Vyb3VzIGJ1c2luZXNzLCBGcm9kbywgZ29pbmcgb3V0IHlvdXIgZG9vci4gWW91IHN0ZXAgb250byB0aGUgcm" +
  "9hZCwgYW5kIGlmIHlvdSBkb24ndCBrZWVwIHlvdXIgZmVldCwgdGhlcmXigJlzIG5vIGtub3dpbmcgd2hlcmUgeW91IG1pZ2h0IGJl" +
  "IHN3ZXB0IG9mZiB0by4";
/** RFC 7520 §4.1.3: the RS256 JWS, compact. */
const rfc7520Rs256 =
  "eyJhbGciOiJSUzI1NiIsImtpZCI6ImJpbGJvLmJhZ2dpbnNAaG9iYml0b24uZXhhbXBsZSJ9." +
  rfc7520Payload +
  ".MRjdkly7_-oTPTS3AXP41iQIGKa80A0ZmTuV5MEaHoxnW2e5CZ5NlKtainoFmKZopdHM1O2U4mwzJdQx996ivp83xuglII7PNDi" +
  "84wnB-BDkoBwA78185hX-Es4JIwmDLJK3lfWRa-XtL0RnltuYv746iYTh_qHRD68BNt1uSNCrUCTJDt5aAE6x8wW1Kt9eRo4QPocSad" +
  "nHXFxnt8Is9UzpERV0ePPQdLuW3IS_de3xyIrDaLGdjluPxUAhb6L2aXic1U12podGU0KLUQSE_oI-ZnmKJ3F4uOZDnd6QZWJushZ4" +
  "1Axf_fcIe8u9ipH84ogoree7vjbU5y18kDquDg";
/** RFC 7520 §4.2.3: the PS384 JWS, compact (RSASSA-PSS, salt the digest's length). */
const rfc7520Ps384 =
  "eyJhbGciOiJQUzM4NCIsImtpZCI6ImJpbGJvLmJhZ2dpbnNAaG9iYml0b24uZXhhbXBsZSJ9." +
  rfc7520Payload +
  ".cu22eBqkYDKgIlTpzDXGvaFfz6WGoz7fUDcfT0kkOy42miAh2qyBzk1xEsnk2IpN6-tPid6VrklHkqsGqDqHCdP6O8TTB5dDDItl" +
  "lVo6_1OLPpcbUrhiUSMxbbXUvdvWXzg-UD8biiReQFlfz28zGWVsdiNAUf8ZnyPEgVFn442ZdNqiVJRmBqrYRXe8P_ijQ7p8Vdz0TTr" +
  "xUeT3lm8d9shnr2lfJT8ImUjvAA2Xez2Mlp8cBE5awDzT0qI0n6uiP1aCN_2_jLAeQTlqRHtfa64QQSUmFAAjVKPbByi7xho0uTOcb" +
  "H510a6GYmJUAfmWjwZ6oD4ifKo8DYM-X72Eaw";

/** Whether `key` signed `token` under `alg`, through the unit's own parsing and check. */
function signedBy(token: string, alg: string, key: KeyObject): Promise<boolean> {
  const compact = splitToken(token);
  return hasValidSignature(compact, readHeader(compact.headerText, [alg]).check, key);
}

/** The error `run` throws, which must be a refusal. */
function refusalOf(run: () => unknown): NotificationAuthError {
  try {
    run();
  } catch (error) {
    if (error instanceof NotificationAuthError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("known-answer signatures", () => {
  it("checks RFC 7515 A.2 (RS256), and not with one byte of its signing input changed", async () => {
    await expect(signedBy(rfc7515A2Token, "RS256", rfc7515A2Key)).resolves.toBe(true);
    const changed = rfc7515A2Token.replace("eyJpc3MiOiJqb2Ui", "eyJpc3MiOiJqb2Ul");
    await expect(signedBy(changed, "RS256", rfc7515A2Key)).resolves.toBe(false);
  });

  it("checks RFC 7520 §4.1 (RS256) and §4.2 (PS384), each only under its own algorithm", async () => {
    await expect(signedBy(rfc7520Rs256, "RS256", rfc7520Key)).resolves.toBe(true);
    await expect(signedBy(rfc7520Ps384, "PS384", rfc7520Key)).resolves.toBe(true);
    // The same key and bytes under another algorithm: PKCS#1 v1.5 and PSS are not interchangeable.
    const asPs256 = rfc7520Rs256.replace(/^[^.]+/, base64url.encode('{"alg":"PS256"}'));
    await expect(signedBy(asPs256, "PS256", rfc7520Key)).resolves.toBe(false);
  });

  it("refuses RFC 7515 A.2 as a notification token: its issuer, audience and 2011 expiry are not Graph's", async () => {
    const rules: ClaimRules = {
      issuers: ["joe"],
      audience: "joe",
      clockToleranceSeconds: 300,
      allowedTenants: undefined,
      allowedAppIds: undefined,
      maxLifetimeSeconds: 7_200,
    };
    const verifying = verifyJwt(rfc7515A2Token, {
      header: (text) => readHeader(text, ["RS256"]),
      select: () => ({ keys: [{ key: rfc7515A2Key }], rules }),
    });
    // The signature is good; the first claim rule that fails is the missing audience.
    await expect(verifying).rejects.toThrow('token rejected: missing required "aud" claim');
  });

  it("refuses RFC 7520 §4.1 as a token: its payload is a quotation, not a claims object", async () => {
    const verifying = verifyJwt(rfc7520Rs256, {
      header: (text) => readHeader(text, ["RS256"]),
      select: () => ({
        keys: [{ key: rfc7520Key }],
        rules: {
          issuers: ["x"],
          audience: "x",
          clockToleranceSeconds: 0,
          allowedTenants: undefined,
          allowedAppIds: undefined,
          maxLifetimeSeconds: 7_200,
        },
      }),
    });
    await expect(verifying).rejects.toThrow("token rejected: malformed token");
  });
});

describe("a live calling token's shape (MicrosoftDocs/bot-docs#2242)", () => {
  // Decoded from the token in the issue; its signature cannot be checked here (Microsoft's key).
  const header = {
    alg: "RS256",
    kid: "PuHgLnEM-M1VlxSzy10BT6hF_aE",
    typ: "JWT",
    cty: "JWT",
    x5t: "PuHgLnEM-M1VlxSzy10BT6hF_aE",
  };
  const claims = {
    tid: "6e1fc0e1-a55f-4277-89f4-aae9486d40a8",
    appid: "26a18ebc-cdf7-4a6a-91cb-beb352805e81",
    nbf: 1666971144,
    exp: 1666971444,
    iss: "https://api.botframework.com",
    aud: "9fd4ef3d-f7af-4f74-947d-9675b81d9fae",
  };
  const rules: ClaimRules = {
    issuers: ["https://api.botframework.com"],
    audience: claims.aud,
    clockToleranceSeconds: 300,
    allowedTenants: undefined,
    allowedAppIds: undefined,
    maxLifetimeSeconds: 7_200,
  };

  it("reads its header (cty JWT although the payload is not nested) with kid and x5t", () => {
    expect(readHeader(base64url.encode(JSON.stringify(header)), ["RS256"])).toMatchObject({
      alg: "RS256",
      kid: header.kid,
      x5t: header.x5t,
    });
  });

  it("accepts its claims while valid, within the tolerance after exp, and not beyond", () => {
    expect(checkClaims(claims, rules, (claims.nbf + 100) * 1000)).toBe(claims.tid);
    expect(checkClaims(claims, rules, (claims.exp + 299) * 1000)).toBe(claims.tid);
    expect(refusalOf(() => checkClaims(claims, rules, (claims.exp + 300) * 1000)).message).toBe(
      'token rejected: "exp" claim timestamp check failed',
    );
  });
});

describe("the unit's own rules", () => {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const now = Math.floor(Date.now() / 1000);
  const tid = "6e1fc0e1-a55f-4277-89f4-aae9486d40a8";
  const good = { iss: "https://api.botframework.com", aud: "app", tid, nbf: now, exp: now + 300 };
  const rules: ClaimRules = {
    issuers: [good.iss],
    audience: "app",
    clockToleranceSeconds: 300,
    allowedTenants: undefined,
    allowedAppIds: undefined,
    maxLifetimeSeconds: 7_200,
  };

  function token(header: Record<string, unknown>, claims: Record<string, unknown> = good): string {
    const input = `${base64url.encode(JSON.stringify(header))}.${base64url.encode(JSON.stringify(claims))}`;
    const digest = `sha${String(header.alg).slice(2)}`;
    return `${input}.${sign(digest, Buffer.from(input), privateKey).toString("base64url")}`;
  }

  function verify(jwt: string, algorithms: readonly string[] = ["RS256", "RS384", "RS512"]) {
    return verifyJwt(jwt, {
      header: (text) => readHeader(text, algorithms),
      select: () => ({ keys: [{ key: publicKey }], rules }),
    });
  }

  it.each(["RS256", "RS384", "RS512"])("accepts %s", async (alg) => {
    await expect(verify(token({ alg }))).resolves.toMatchObject({ tenantId: tid });
  });

  it("refuses a signature with one character appended, which Buffer alone would drop", async () => {
    // An ES384 signature is 96 bytes, 128 characters: one more is not base64 at all.
    const p384 = generateKeyPairSync("ec", { namedCurve: "P-384" });
    const input = `${base64url.encode('{"alg":"ES384"}')}.${base64url.encode(JSON.stringify(good))}`;
    const signature = sign("sha384", Buffer.from(input), { key: p384.privateKey, dsaEncoding: "ieee-p1363" });
    const jwt = `${input}.${signature.toString("base64url")}`;
    const how = {
      header: (text: string) => readHeader(text, ["ES384"]),
      select: () => ({ keys: [{ key: p384.publicKey }], rules }),
    };
    await expect(verifyJwt(jwt, how)).resolves.toMatchObject({ tenantId: tid });
    await expect(verifyJwt(`${jwt}A`, how)).rejects.toThrow("token rejected: malformed token");
  });

  it("refuses a payload that is not UTF-8, though signed", async () => {
    // Good claims and one more member whose value holds the byte 0xff: JSON if decoded leniently.
    const claims = Buffer.concat([
      Buffer.from(`${JSON.stringify(good).slice(0, -1)},"x":"`),
      Buffer.from([0xff]),
      Buffer.from('"}'),
    ]);
    const input = `${base64url.encode('{"alg":"RS256"}')}.${claims.toString("base64url")}`;
    const signature = sign("sha256", Buffer.from(input), privateKey).toString("base64url");
    await expect(verify(`${input}.${signature}`)).rejects.toThrow("token rejected: malformed token");
  });

  it("tries each key it is given until one verifies", async () => {
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey;
    const verifying = verifyJwt(token({ alg: "RS256" }), {
      header: (text) => readHeader(text, ["RS256"]),
      select: () => ({ keys: [{ key: other }, { key: publicKey }], rules }),
    });
    await expect(verifying).resolves.toMatchObject({ key: { key: publicKey } });
  });

  it("refuses an iat that is not a number", async () => {
    await expect(verify(token({ alg: "RS256" }, { ...good, iat: "now" }))).rejects.toThrow(
      '"iat" claim must be a number',
    );
  });

  it("can be configured with the asymmetric algorithms only", () => {
    expect(supportedAlgorithms).toEqual(expect.arrayContaining(["RS256", "RS384", "RS512"]));
    expect(supportedAlgorithms.some((alg) => /^(HS|none)/i.test(alg))).toBe(false);
    expect(refusalOf(() => readHeader(base64url.encode('{"alg":"HS256"}'), ["HS256"])).message).toBe(
      "token rejected: signature algorithm not allowed",
    );
  });

  it("checks PSS with the salt as long as the digest", async () => {
    const input = `${base64url.encode('{"alg":"PS256"}')}.${base64url.encode(JSON.stringify(good))}`;
    const pss = { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING };
    const right = sign("sha256", Buffer.from(input), { ...pss, saltLength: 32 }).toString("base64url");
    const wrong = sign("sha256", Buffer.from(input), { ...pss, saltLength: 0 }).toString("base64url");
    await expect(verify(`${input}.${right}`, ["PS256"])).resolves.toMatchObject({ tenantId: tid });
    await expect(verify(`${input}.${wrong}`, ["PS256"])).rejects.toThrow("signature verification failed");
  });
});
