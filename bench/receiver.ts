/**
 * `npm run bench:receiver`: the notification receiver over real HTTP, as a bot feels it, beside the
 * stacks users would pick instead. Each server runs in its own child process on 127.0.0.1 (a free
 * port; receiver-server.ts, compiled to plain JavaScript; ours from the build) and, on two or more
 * CPUs, on a core of its own; autocannon (10 connections) POSTs the spec's current
 * cancelMediaProcessing notification to each in turn, in rotated rounds, so that every ratio
 * compares runs that saw the same machine load:
 *   bare node:http (read the body, JSON.parse, 202: the floor), a minimal Fastify route (JSON parsed,
 *   202), the two peers (Express 5 + jsonwebtoken + jwks-rsa, the common Node recipe; Fastify 5 +
 *   fast-jwt with its cache on + get-jwks, the fastest Node JWT stack), our handler through
 *   @hono/node-server (the Fetch path) and through createNotificationServer (the Node path). With
 *   auth on, every server checks the same RS256 token (issuer, audience, `exp`, tenant) against the
 *   testing kit's JWKS on 127.0.0.1: one token reused as Graph does, or a fresh token on every
 *   request (a pool larger than every token cache, used in turn).
 * Medians of the rounds are printed: req/s; p50 and p99 latency, from each response's own latency
 * (autocannon's percentiles are whole milliseconds), and p99 over bare's; the ratio of req/s to
 * bare's; then ours over the fastest peer's, round by round. Then the RSS of our server (Node path,
 * auth on, tracker) after the first 10k requests and after 100k, twice: with the same notification
 * every time, and with a new operation id on every request. Bounded: about 4 minutes; `--quick` for
 * a shorter run. `--against=<project folder>` adds rows for another build of the kit (its `dist/`),
 * to compare two versions under the same load. */
import { type ChildProcess, execFileSync, fork } from "node:child_process";
import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import autocannon from "autocannon";
import { build } from "esbuild";
import { openapiDocument } from "../src/core/spec-document.ts";
import { defaultIssuers } from "../src/notifications/auth/verifier.ts";
import { createTestSigningKeys, serveTestSigningKeys } from "../src/testing/index.ts";
import { appId } from "../test/support/seed-ids.ts";
import type { ServerConfig } from "./receiver-server.ts";
import { median, quantile, rotate, row } from "./stats.ts";

/** What the driver chooses of a server; the rest of its {@link ServerConfig} is filled in by `start`. */
type Contender = Pick<ServerConfig, "kind" | "auth"> & Partial<Pick<ServerConfig, "entry">>;
/** Which rows are compared: ours against the fastest peer with the same kind of token. */
type Compared = { role: "ours" | "peer"; token: "one token" | "fresh token each" };

/** The built notifications entry, which our servers run. */
const distEntry = new URL("../dist/src/notifications/index.js", import.meta.url).href;
/** Where the server script is compiled to: inside the project, so that it resolves its packages. */
const serverScript = fileURLToPath(
  new URL("../node_modules/.cache/graph-comms-kit-bench/receiver-server.mjs", import.meta.url),
);

/** Compiles receiver-server.ts to plain JavaScript (see its header for why). */
async function compileServer(): Promise<void> {
  await build({
    entryPoints: [fileURLToPath(new URL("./receiver-server.ts", import.meta.url))],
    outfile: serverScript,
    format: "esm",
    platform: "node",
    target: "node20",
    logLevel: "error",
  });
}
const body = JSON.stringify(openapiDocument.components.examples.currentNotification.value);
const path = "/api/calls";

interface Running {
  child: ChildProcess;
  url: string;
  /** RSS and heap used in bytes, after a full garbage collection. */
  memory(): Promise<{ rss: number; heap: number }>;
  /** CPU time used so far (user + system), in µs. */
  cpu(): Promise<number>;
}

/** Asks a child for its figures. */
function ask(child: ChildProcess, question: "rss" | "cpu"): Promise<Record<string, number>> {
  return new Promise((done) => {
    child.once("message", (m: Record<string, number>) => done(m));
    child.send(question);
  });
}

/**
 * On a machine of two or more CPUs, the load generator (this process) runs on CPU 0 and the
 * servers on CPU 1 (Linux `taskset`), so that each measured server has a core of its own and does
 * not trade places with autocannon; otherwise nothing is pinned and the header says so.
 */
function pin(pid: number, cpu: number): boolean {
  if (cpus < 2) return false;
  try {
    execFileSync("taskset", ["-a", "-p", "-c", String(cpu), String(pid)], { stdio: "ignore" });
    return true;
  } catch {
    return false; // no taskset (not Linux, or util-linux missing)
  }
}

/** Read before this process is pinned: pinned, it sees one CPU. */
const cpus = availableParallelism();
const pinned = pin(process.pid, 0);

/** The JWKS URL of the key server, which the peers read (ours finds it through the OpenID configuration). */
let jwksUri = "";

function start(contender: Contender): Promise<Running> {
  const config: ServerConfig = {
    entry: distEntry,
    ...contender,
    appId,
    issuers: [...defaultIssuers],
    jwksUri,
    path,
  };
  const child = fork(serverScript, [JSON.stringify(config)], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    execArgv: ["--expose-gc"],
  });
  if (pinned && child.pid !== undefined) pin(child.pid, 1);
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`bench server ${config.kind} exited with ${code}`)));
    child.once("message", (message: { port: number }) =>
      resolve({
        child,
        url: `http://127.0.0.1:${message.port}${path}`,
        memory: async () => {
          const { rss = Number.NaN, heap = Number.NaN } = await ask(child, "rss");
          return { rss, heap };
        },
        cpu: async () => (await ask(child, "cpu")).cpu ?? Number.NaN,
      }),
    );
  });
}

interface Load {
  url: string;
  token?: string;
  /** A token per request, used in turn (each once while the pool lasts). */
  tokens?: readonly string[];
  /** A new operation id on every request. */
  uniqueIds?: boolean;
  duration?: number;
  amount?: number;
}

interface Measured {
  rps: number;
  /** The server's CPU time per answered request, in µs: steadier than req/s on a loaded machine. */
  cpuUs: number;
  p50: number;
  p99: number;
  bad: number;
}

let sequence = 0;

async function load(options: Load, server?: Running): Promise<Measured> {
  const cpuBefore = server ? await server.cpu() : 0;
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const perRequest = options.tokens !== undefined || options.uniqueIds === true;
  const settings: autocannon.Options = {
    url: options.url,
    method: "POST",
    connections: 10,
    headers,
    body,
    ...(options.amount === undefined ? { duration: options.duration ?? 3 } : { amount: options.amount }),
    ...(perRequest
      ? {
          requests: [
            {
              setupRequest: (request: autocannon.Request) => {
                const n = sequence++;
                const extra: Record<string, string> = {};
                if (options.tokens)
                  extra.authorization = `Bearer ${options.tokens[n % options.tokens.length]}`;
                return {
                  ...request,
                  headers: { ...request.headers, ...extra },
                  body: options.uniqueIds ? withOperation(n) : body,
                };
              },
            },
          ],
        }
      : {}),
  };
  // Each response's latency in ms, unrounded: autocannon's own percentiles are whole milliseconds,
  // too coarse to compare p99s below 1 ms (the auth-off target is "p99 ≤ 2x bare's").
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const run = autocannon(settings, (error, done) => (error ? reject(error) : resolve(done)));
    run.on("response", (_client, _status, _bytes, ms) => {
      latencies.push(ms);
    });
  });
  const cpuUs = server ? (await server.cpu()) - cpuBefore : Number.NaN;
  return {
    // Counted over the run's own duration: autocannon's per-second average ignores a last partial second.
    rps: result.requests.total / result.duration,
    cpuUs: cpuUs / Math.max(1, result.requests.total),
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    bad: result.non2xx + result.errors + result.timeouts,
  };
}

/** The notification body naming operation `n` (a fresh id, so the tracker keeps each one). */
function withOperation(n: number): string {
  const op = `0fe0623f-d628-42ed-b4bd-${n.toString(16).padStart(12, "0")}`;
  const id = /"id":"([0-9a-f-]{36})"/.exec(body)?.[1] ?? "";
  const upper = id.replaceAll("-", "").toUpperCase();
  return body.replaceAll(id, op).replaceAll(upper, op.replaceAll("-", "").toUpperCase());
}

async function main(quick: boolean): Promise<void> {
  const rounds = quick ? 2 : 5;
  const duration = quick ? 2 : 3;
  // More tokens than the token cache holds (1,000 by default), used in turn: every request misses
  // the cache and is verified in full, as with a new token each time.
  const poolSize = 2_500;
  const signing = await createTestSigningKeys({ appId });
  const keys = await serveTestSigningKeys(signing);
  jwksUri = keys.jwksUri;
  const token = await signing.mint();
  const started = Date.now();
  const tokens: string[] = [];
  // A jti each: RS256 signatures are deterministic, so tokens signed in the same second with the
  // same claims would be one token, and the cache would serve them all.
  for (let i = 0; i < poolSize; i++) tokens.push(await signing.mint({ claims: { jti: `bench-${i}` } }));
  if (new Set(tokens).size !== poolSize) throw new Error("the fresh-token pool holds duplicates");
  console.log(
    `receiver bench (Node ${process.version}): autocannon, 10 connections, ${rounds} rotated rounds of ${duration} s ` +
      `(fresh tokens: a pool of ${poolSize} used in turn, more than the token cache holds, signed in ` +
      `${((Date.now() - started) / 1000).toFixed(1)} s); ${pinned ? "load generator on CPU 0, servers on CPU 1" : "unpinned"}; medians`,
  );
  const auth = keys.openIdConfigurationUrl;
  const one = { token };
  const fresh = { tokens };
  const contenders: Array<{ name: string; config: Contender; load: Omit<Load, "url">; compared?: Compared }> =
    [
      { name: "bare node:http (JSON.parse, 202)", config: { kind: "bare" }, load: {} },
      { name: "fastify 5 route (JSON parsed, 202)", config: { kind: "fastify" }, load: {} },
      {
        name: "peer express+jsonwebtoken, one token",
        config: { kind: "express-jsonwebtoken", auth },
        load: one,
        compared: { role: "peer", token: "one token" },
      },
      {
        name: "peer express+jsonwebtoken, fresh each",
        config: { kind: "express-jsonwebtoken", auth },
        load: fresh,
        compared: { role: "peer", token: "fresh token each" },
      },
      {
        name: "peer fastify+fast-jwt, one token",
        config: { kind: "fastify-fast-jwt", auth },
        load: one,
        compared: { role: "peer", token: "one token" },
      },
      {
        name: "peer fastify+fast-jwt, fresh each",
        config: { kind: "fastify-fast-jwt", auth },
        load: fresh,
        compared: { role: "peer", token: "fresh token each" },
      },
      { name: "hono node-server, auth off", config: { kind: "hono" }, load: {} },
      {
        name: "hono node-server, auth on (one token)",
        config: { kind: "hono", auth },
        load: one,
        compared: { role: "ours", token: "one token" },
      },
      { name: "Node path, auth off", config: { kind: "node" }, load: {} },
      {
        name: "Node path, auth on (one token)",
        config: { kind: "node", auth },
        load: one,
        compared: { role: "ours", token: "one token" },
      },
      {
        name: "Node path, auth on, fresh token each",
        config: { kind: "node", auth },
        load: fresh,
        compared: { role: "ours", token: "fresh token each" },
      },
    ];
  // `--against=<project folder>`: that project's build runs beside ours in the same rotated rounds.
  const against = process.argv.find((arg) => arg.startsWith("--against="))?.slice("--against=".length);
  if (against !== undefined) {
    const entry = pathToFileURL(resolve(against, "dist/src/notifications/index.js")).href;
    contenders.push(
      { name: "hono node-server, auth off (against)", config: { kind: "hono", entry }, load: {} },
      { name: "Node path, auth on (one token) (against)", config: { kind: "node", auth, entry }, load: one },
    );
  }
  const servers: Running[] = [];
  try {
    for (const contender of contenders) servers.push(await start(contender.config));
    // Warm-up: JIT, the first key fetch, connection set-up.
    for (const [i, contender] of contenders.entries()) {
      await load({
        url: servers[i]?.url ?? "",
        ...contender.load,
        duration: 1,
      });
    }
    const results = contenders.map(() => [] as Measured[]);
    for (let round = 0; round < rounds; round++) {
      for (const i of rotate([...contenders.keys()], round)) {
        const contender = contenders[i];
        if (!contender) continue;
        const server = servers[i];
        if (server) results[i]?.push(await load({ url: server.url, duration, ...contender.load }, server));
      }
    }
    const bareRps = median((results[0] ?? []).map((r) => r.rps));
    const bareP99 = median((results[0] ?? []).map((r) => r.p99));
    const bareCpu = median((results[0] ?? []).map((r) => r.cpuUs));
    const widths = [40, 7, 7, 7, 11, 18, 11, 13, 7];
    console.log(
      row(
        [
          "server",
          "req/s",
          "p50 ms",
          "p99 ms",
          "p99 vs bare",
          "ratio to bare",
          "CPU µs/req",
          "CPU vs bare",
          "non-2xx",
        ],
        widths,
      ),
    );
    for (const [i, contender] of contenders.entries()) {
      const runs = results[i] ?? [];
      const rps = median(runs.map((r) => r.rps));
      const ratios = runs.map((r, k) => r.rps / (results[0]?.[k]?.rps ?? Number.NaN));
      const range = `${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}`;
      console.log(
        row(
          [
            contender.name,
            Math.round(rps),
            median(runs.map((r) => r.p50)).toFixed(2),
            median(runs.map((r) => r.p99)).toFixed(2),
            `${(median(runs.map((r) => r.p99)) / bareP99).toFixed(2)}x`,
            `${(rps / bareRps).toFixed(2)}x (${range})`,
            Math.round(median(runs.map((r) => r.cpuUs))),
            `${(bareCpu / median(runs.map((r) => r.cpuUs))).toFixed(2)}x`,
            runs.reduce((sum, r) => sum + r.bad, 0),
          ],
          widths,
        ),
      );
    }
    console.log(
      `bare p99: ${bareP99.toFixed(2)} ms; p50 and p99 are each round's, from every response's own latency (autocannon rounds to whole ms). "CPU vs bare": bare's CPU time per request over this one's, the req/s ratio ` +
        "a quiet machine would give if the server process is the bottleneck.",
    );
    compareWithPeers(contenders, results);
  } finally {
    for (const server of servers) server.child.disconnect();
  }

  // Memory: a fresh Node-path server (auth on) per case: the same notification again and again
  // (Graph's retries), and a new operation on every request (the tracker keeps each, up to its cap).
  try {
    for (const uniqueIds of [false, true]) {
      const memory = await start({ kind: "node", auth });
      try {
        const before = await memory.memory();
        const first = await load({ url: memory.url, token, uniqueIds, amount: 10_000 });
        const after10k = await memory.memory();
        const rest = await load({ url: memory.url, token, uniqueIds, amount: quick ? 40_000 : 90_000 });
        const afterAll = await memory.memory();
        const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
        const at = (m: { rss: number; heap: number }) => `${mb(m.rss)} MB (heap ${mb(m.heap)})`;
        console.log(
          `RSS, Node path, auth on, tracker, ${uniqueIds ? "a new operation id each request" : "the same notification"}: ` +
            `${at(before)} at start, ${at(after10k)} after 10k requests, ${at(afterAll)} after ` +
            `${quick ? "50k" : "100k"}: ${mb(afterAll.rss - after10k.rss)} MB more; non-2xx ${first.bad + rest.bad}`,
        );
      } finally {
        memory.child.disconnect();
      }
    }
  } finally {
    await keys.close();
  }
}

/**
 * Ours over the fastest peer (by median req/s) with the same kind of token: the median and range of
 * the per-round ratios (each round ran both under the same load), in req/s and in CPU per request.
 */
function compareWithPeers(
  contenders: ReadonlyArray<{ name: string; compared?: Compared }>,
  results: ReadonlyArray<readonly Measured[]>,
): void {
  for (const token of ["one token", "fresh token each"] as const) {
    const peers = [...contenders.keys()].filter(
      (i) => contenders[i]?.compared?.role === "peer" && contenders[i]?.compared?.token === token,
    );
    const rps = (i: number) => median((results[i] ?? []).map((r) => r.rps));
    const fastest = peers.reduce((best, i) => (rps(i) > rps(best) ? i : best), peers[0] ?? -1);
    const peer = results[fastest] ?? [];
    for (const [i, contender] of contenders.entries()) {
      if (contender.compared?.role !== "ours" || contender.compared.token !== token) continue;
      const runs = results[i] ?? [];
      const ratios = runs.map((r, k) => r.rps / (peer[k]?.rps ?? Number.NaN));
      const cpu = runs.map((r, k) => (peer[k]?.cpuUs ?? Number.NaN) / r.cpuUs);
      console.log(
        `${contender.name} vs the fastest peer (${contenders[fastest]?.name}): req/s ` +
          `${median(ratios).toFixed(2)}x (rounds ${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}), ` +
          `CPU per request (the peer's over ours) ${median(cpu).toFixed(2)}x`,
      );
    }
  }
}

await compileServer();
await main(process.argv.includes("--quick"));
