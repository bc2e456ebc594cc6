/**
 * `npm run bench:client`: the typed client against raw fetch, openapi-fetch alone and
 * @microsoft/microsoft-graph-client, all measured in this run (machines are noisy: read the ratios).
 * Contenders take turns in short rounds (the order rotating), so load from other processes hits all
 * of them alike. BENCH_CALLS (calls per contender per round, default 100) and BENCH_ROUNDS
 * (default 60) scale it.
 */
import { measureHttp } from "./client-http.ts";
import { measureInProcess } from "./client-inprocess.ts";
import { clientEntryBudgetBytes, measureSizes } from "./client-size.ts";
import { row } from "./stats.ts";

const calls = Number(process.env.BENCH_CALLS ?? 100);
const rounds = Number(process.env.BENCH_ROUNDS ?? 60);

function verdict(ok: boolean): string {
  return ok ? "PASS" : "FAIL";
}

console.log(`client benchmark: Node ${process.version}, ${calls} calls x ${rounds} rounds per contender\n`);

const http = await measureHttp(calls, rounds);
const raw = http.find((r) => r.name === "raw fetch");
console.log("1. Real HTTP on 127.0.0.1 (keep-alive, 202 + Location): median latency per call");
console.log(row(["contender", "median µs", "x raw fetch", "sent the token"], [22, 10, 12, 14]));
for (const r of http) {
  const ratio = raw ? r.medianUs / raw.medianUs : Number.NaN;
  console.log(
    row(
      [r.name, r.medianUs.toFixed(1), `${ratio.toFixed(2)}x`, r.sentToken ? "yes" : "NO"],
      [22, 10, 12, 14],
    ),
  );
}
const oursHttp = http.find((r) => r.name === "graph-comms-kit");
if (oursHttp && raw) {
  const ratio = oursHttp.medianUs / raw.medianUs;
  console.log(`target ours <= 1.10x raw fetch: ${ratio.toFixed(2)}x ${verdict(ratio <= 1.1)}\n`);
}

const inProcess = await measureInProcess(calls * 10, rounds);
console.log("2. In process, same stub fetch for all: calls per second");
console.log(row(["contender", "calls/s", "x ours"], [22, 10, 12]));
const oursRate = inProcess.find((r) => r.name === "graph-comms-kit")?.callsPerSecond ?? Number.NaN;
for (const r of inProcess) {
  console.log(
    row([r.name, Math.round(r.callsPerSecond), `${(r.callsPerSecond / oursRate).toFixed(2)}x`], [22, 10, 12]),
  );
}
const openapiRate = inProcess.find((r) => r.name === "openapi-fetch alone")?.callsPerSecond ?? Number.NaN;
const graphClientRate = inProcess.find((r) => r.name === "graph-client RAW")?.callsPerSecond ?? Number.NaN;
const layerCost = openapiRate / oursRate - 1;
console.log(
  `our layer's cost over openapi-fetch alone: ${(layerCost * 100).toFixed(1)}% (target <= 15%) ${verdict(layerCost <= 0.15)}`,
);
console.log(`ours vs graph-client: ${(oursRate / graphClientRate).toFixed(2)}x the calls per second\n`);

const sizes = await measureSizes();
console.log("3. Bundle size (esbuild, minified; gzip -9, and brotli as size-limit reports)");
console.log(row(["bundle", "min kB", "min+gz kB", "min+br kB"], [32, 8, 10, 10]));
const kB = (bytes: number) => (bytes / 1024).toFixed(2);
for (const s of sizes) {
  console.log(
    row(
      [s.name, (s.minifiedBytes / 1024).toFixed(1), kB(s.gzippedBytes), kB(s.brotliBytes)],
      [32, 8, 10, 10],
    ),
  );
}
const oursSize = sizes[0]?.gzippedBytes ?? Number.POSITIVE_INFINITY;
console.log(
  `budget: client entry <= 8.5 kB min+gz: ${(oursSize / 1024).toFixed(2)} kB ${verdict(oursSize <= clientEntryBudgetBytes)}`,
);
