/**
 * The JWT unit against a reference verifier: jose's `jwtVerify` judges thousands of generated
 * tokens, valid and spoilt one way or several (claims, header, algorithm, key, spelling), and the
 * unit must reach the same verdict on each. Where the unit deliberately asks more than jose (a
 * tenant claim; no critical header at all), the reference verdict includes that rule, stated below.
 */
import { createHmac, generateKeyPairSync, sign } from "node:crypto";
import fc from "fast-check";
import { base64url, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { type ClaimRules, readHeader, verifyJwt } from "../../../src/notifications/auth/jwt.ts";

const algorithms = ["RS256", "RS384", "RS512"];
const issuer = "https://api.botframework.com";
const audience = "9fd4ef3d-f7af-4f74-947d-9675b81d9fae";
const tolerance = 300;
const now = 1_766_000_000;
const rules: ClaimRules = {
  issuers: [issuer, "https://graph.microsoft.com"],
  audience,
  clockToleranceSeconds: tolerance,
  allowedTenants: undefined,
  allowedAppIds: undefined,
  maxLifetimeSeconds: 7_200,
};
const key = generateKeyPairSync("rsa", { modulusLength: 2048 });
const stranger = generateKeyPairSync("rsa", { modulusLength: 2048 });

/** A time near `now` or at the tolerance's edges, where off-by-one errors live. */
const time = (right: { min: number; max: number }) =>
  fc.oneof(
    { weight: 12, arbitrary: fc.integer(right) },
    fc.integer({ min: now - 2 * tolerance - 2, max: now + 2 * tolerance + 2 }),
    fc.constantFrom(now - tolerance, now - tolerance - 1, now + tolerance, now + tolerance + 1),
  );
/** A claim value: mostly right (so that most tokens are spoilt in one way at most), else wrong in type or value, or absent. */
const claim = <T>(right: fc.Arbitrary<T>, ...wrong: unknown[]) =>
  fc.oneof({ weight: 40, arbitrary: right }, fc.constantFrom<unknown>(undefined, null, ...wrong));

const claims = fc.record({
  iss: claim(fc.constantFrom(...rules.issuers), "https://sts.windows.net/x/", 7, `${issuer}/`),
  aud: claim(fc.constantFrom<unknown>(audience, [audience], ["other", audience]), "other", ["other"], 1),
  exp: claim(time({ min: now - tolerance + 1, max: now + 3600 }), String(now + 60), 1.5e9 + 0.5),
  nbf: claim(time({ min: now - 3600, max: now + tolerance }), "now"),
  iat: claim(time({ min: now - 3600, max: now }), "now", true, now + 86_400),
  tid: claim(fc.constantFrom("6e1fc0e1-a55f-4277-89f4-aae9486d40a8"), "", "  ", 5, "contoso", "6e1fc0e1"),
  appid: fc.constantFrom("26a18ebc-cdf7-4a6a-91cb-beb352805e81", undefined),
});

const header = fc.record({
  alg: fc.oneof(
    { weight: 60, arbitrary: fc.constantFrom("RS256", "RS384", "RS512") },
    fc.constantFrom<unknown>("HS256", "none", "PS256", "rs256", undefined, 256),
  ),
  typ: fc.constantFrom("JWT", undefined, "at+jwt"),
  cty: fc.constantFrom("JWT", undefined),
  kid: fc.constantFrom("PuHgLnEM-M1VlxSzy10BT6hF_aE", undefined, 3),
  crit: fc.oneof(
    { weight: 40, arbitrary: fc.constant(undefined) },
    fc.constantFrom<unknown>(["urn:example:x"], [], "b64"),
  ),
});

/** How a signed token is spoilt after signing, if at all. */
const spoil = fc.oneof(
  { weight: 30, arbitrary: fc.constant({ kind: "none" as const }) },
  fc.record({
    kind: fc.constantFrom("flip" as const),
    segment: fc.integer({ min: 0, max: 2 }),
    at: fc.nat(),
    char: fc.constantFrom("A", "B", "_", "-", "z", "0"),
  }),
  fc.record({
    kind: fc.constantFrom("append" as const),
    text: fc.constantFrom("A", "AA", "AAA", "=", "==", ".", "+", " ", ".AAAA"),
  }),
  fc.record({ kind: fc.constantFrom("truncate" as const), by: fc.integer({ min: 1, max: 4 }) }),
);

interface Case {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  /** What signs it: the published key, another key, HMAC with the public key as secret, or nothing. */
  signer: "key" | "stranger" | "hmac" | "empty";
  spoil:
    | { kind: "none" }
    | { kind: "flip"; segment: number; at: number; char: string }
    | { kind: "append"; text: string }
    | { kind: "truncate"; by: number };
  /** The payload bytes as given instead of the claims' JSON (not an object, not UTF-8), or the claims with a byte 0xff in one more string. */
  rawPayload: Buffer | "badUtf8" | undefined;
}

const cases: fc.Arbitrary<Case> = fc.record({
  header,
  claims,
  signer: fc.oneof(
    { weight: 40, arbitrary: fc.constant("key" as const) },
    fc.constantFrom("stranger" as const, "hmac" as const, "empty" as const),
  ),
  spoil,
  rawPayload: fc.oneof(
    { weight: 60, arbitrary: fc.constant(undefined) },
    fc.constantFrom(
      Buffer.from("[1,2]"),
      Buffer.from("null"),
      Buffer.from('{"exp":1'),
      Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]),
      "badUtf8" as const,
    ),
  ),
});

function defined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
}

function tokenOf(c: Case): string {
  const head = base64url.encode(JSON.stringify(defined(c.header)));
  const json = JSON.stringify({ ...defined(c.claims), x: "" });
  const payload =
    c.rawPayload === "badUtf8"
      ? Buffer.concat([Buffer.from(json.slice(0, -2)), Buffer.from([0xff]), Buffer.from('"}')])
      : (c.rawPayload ?? Buffer.from(JSON.stringify(defined(c.claims))));
  const body = payload.toString("base64url");
  const input = `${head}.${body}`;
  const alg = typeof c.header.alg === "string" ? c.header.alg : "RS256";
  const digest = /^(RS|rs)(256|384|512)$/.test(alg) ? `sha${alg.slice(2)}` : "sha256";
  const signature =
    c.signer === "empty"
      ? Buffer.alloc(0)
      : c.signer === "hmac"
        ? createHmac("sha256", key.publicKey.export({ format: "pem", type: "spki" }))
            .update(input)
            .digest()
        : sign(digest, Buffer.from(input), c.signer === "key" ? key.privateKey : stranger.privateKey);
  const token = `${input}.${signature.toString("base64url")}`;
  const s = c.spoil;
  if (s.kind === "append") return token + s.text;
  if (s.kind === "truncate") return token.slice(0, -s.by);
  if (s.kind === "flip") {
    const parts = token.split(".");
    const part = parts[s.segment] ?? "";
    const at = part.length === 0 ? 0 : s.at % part.length;
    parts[s.segment] = part.slice(0, at) + s.char + part.slice(at + 1);
    return parts.join(".");
  }
  return token;
}

/**
 * jose's verdict, with the unit's further rules: a tenant claim that is a GUID, no `crit` at all,
 * `iat` not ahead of the clock (jose checks it only with `maxTokenAge`, which also requires `iat`),
 * a lifetime of at most 2 hours, and base64url as RFC 7515 §2 spells it, without `=` padding or
 * whitespace (jose's decoder, `atob`, skips both).
 */
async function referenceVerdict(token: string): Promise<boolean> {
  if (/[\s=]/.test(token)) return false;
  try {
    const { payload, protectedHeader } = await jwtVerify(token, key.publicKey, {
      algorithms,
      issuer: [...rules.issuers],
      audience,
      clockTolerance: tolerance,
      requiredClaims: ["exp"],
      currentDate: new Date(now * 1000),
    });
    const { tid, iat, nbf, exp } = payload as { tid?: unknown; iat?: number; nbf?: number; exp: number };
    return (
      typeof tid === "string" &&
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(tid) &&
      protectedHeader.crit === undefined &&
      (iat === undefined || iat <= now + tolerance) &&
      exp - (iat ?? nbf ?? now) <= 7_200
    );
  } catch {
    return false;
  }
}

async function unitVerdict(token: string): Promise<boolean> {
  try {
    await verifyJwt(
      token,
      {
        header: (text) => readHeader(text, algorithms),
        select: () => ({ keys: [{ key: key.publicKey }], rules }),
      },
      now * 1000 + 500,
    );
    return true;
  } catch {
    return false;
  }
}

describe("the JWT unit and jose's jwtVerify", () => {
  it("reach the same verdict on 3,000 generated tokens, valid and spoilt", async () => {
    const verdicts = { accepted: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(cases, async (c) => {
        const token = tokenOf(c);
        const expected = await referenceVerdict(token);
        expect(await unitVerdict(token), token).toBe(expected);
        verdicts[expected ? "accepted" : "refused"]++;
      }),
      { numRuns: 3_000, seed: 2323 },
    );
    // The generator must exercise both verdicts, or the agreement says little.
    expect(verdicts.accepted).toBeGreaterThan(200);
    expect(verdicts.refused).toBeGreaterThan(200);
  });
});
