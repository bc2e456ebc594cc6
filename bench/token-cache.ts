/**
 * `npx tsx bench/token-cache.ts`: verifications per second of `createNotificationVerifier` with the
 * verified-token cache on, against the baseline of the cache off (a full RS256 verification per
 * request), in one process. Keys come from a local JWKS on 127.0.0.1, fetched once before timing.
 * Two workloads: the same token every time (as Graph sends it) and a distinct token every
 * time (all misses: what the cache costs when it never helps). Trials alternate the two settings;
 * medians are reported, ratios with their range.
 */
import { createNotificationVerifier, type NotificationVerifier } from "../src/notifications/auth/verifier.ts";
import { createTestSigningKeys, serveTestSigningKeys } from "../src/testing/index.ts";
import { appId } from "../test/support/seed-ids.ts";
import { median, row } from "./stats.ts";

const sameTokenCount = 10_000;
const distinctTokenCount = 2_000;
const trials = 5;

const signing = await createTestSigningKeys({ appId });
const server = await serveTestSigningKeys(signing);
const quiet = { warn: () => {}, info: () => {} };

function verifier(cache: boolean): NotificationVerifier {
  return createNotificationVerifier(appId, {
    openIdConfigurationUrl: server.openIdConfigurationUrl,
    logger: quiet,
    ...(cache ? {} : { tokenCache: false as const }),
  });
}

/** Verifications per second over `headers`, one after the other (as one connection's requests are). */
async function rate(v: NotificationVerifier, headers: readonly string[]): Promise<number> {
  const start = process.hrtime.bigint();
  for (const header of headers) await v.verify(header);
  return headers.length / (Number(process.hrtime.bigint() - start) / 1e9);
}

const same = Array.from({ length: sameTokenCount }, () => "");
same.fill(`Bearer ${await signing.mint()}`);
const distinct: string[] = [];
for (let i = 0; i < distinctTokenCount; i++) {
  distinct.push(`Bearer ${await signing.mint({ claims: { jti: `bench-${i}` } })}`);
}

const workloads = [
  { name: `same token x${sameTokenCount}`, headers: same },
  { name: `distinct tokens x${distinctTokenCount}`, headers: distinct },
];
const widths = [28, 14, 14, 22];
console.log(`Node ${process.version}; ${trials} trials, medians; ratio = cache on / cache off`);
console.log(row(["workload", "off (ver/s)", "on (ver/s)", "ratio (min-max)"], widths));
for (const { name, headers } of workloads) {
  const off: number[] = [];
  const on: number[] = [];
  const ratios: number[] = [];
  for (let trial = 0; trial < trials; trial++) {
    // Fresh verifiers per trial (keys fetched before timing), so every trial starts with an empty cache.
    const [cold, cached] = [verifier(false), verifier(true)];
    await cold.verify(headers[0] as string);
    await cached.verify(`Bearer ${await signing.mint({ claims: { jti: "warm-up" } })}`);
    const order = trial % 2 === 0 ? ([false, true] as const) : ([true, false] as const);
    const result: Record<string, number> = {};
    for (const cache of order) result[String(cache)] = await rate(cache ? cached : cold, headers);
    off.push(result.false as number);
    on.push(result.true as number);
    ratios.push((result.true as number) / (result.false as number));
  }
  const range = `${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}`;
  console.log(
    row(
      [name, Math.round(median(off)), Math.round(median(on)), `${median(ratios).toFixed(2)}x (${range})`],
      widths,
    ),
  );
}
await server.close();
