/**
 * `npm run bench:notifications`: notifications per second through parse + validate + dispatch
 * (parseCommsNotifications, then the operation tracker, which correlates: dedupes and keeps early
 * notifications), against a baseline of JSON.parse alone on the same bodies, in one process. Each
 * trial measures the baseline, then the pipeline right after it (so a ratio compares runs that saw
 * the same machine load), then the same with each notification handed to a plain callback instead
 * of the tracker, then parsing alone; medians over all trials are reported, ratios with their
 * range. The order matters: a run pays for collecting the garbage earlier runs left, so the
 * baseline never follows a dispatching run or the full handler. The full handler (Request in, 202
 * out, auth off) is measured after all trials. Last, the tracker on the Redis store (a loopback
 * redis-server the bench starts) with 32 notifications in flight, paired in each trial with the
 * memory store under the same 32-in-flight driver; with the Redis commands one notification costs.
 */
import { createClient } from "redis";
import { dashedGuid } from "../src/core/operation-id.ts";
import { openapiDocument } from "../src/core/spec-document.ts";
import type { ParsedNotification } from "../src/notifications/parse/notification.ts";
import { parseCommsNotifications } from "../src/notifications/parse/parse.ts";
import { createNotificationHandler } from "../src/notifications/receive/handler.ts";
import { createOperationTracker } from "../src/notifications/track/tracker.ts";
import { createRedisOperationStore, type RedisClientLike } from "../src/redis/index.ts";
import { inFlight } from "../test/support/in-flight.ts";
import { redisServerMissing, startRedisServer } from "../test/support/redis-server.ts";
import { median } from "./stats.ts";

const distinctBodies = 2_000;
const rounds = 5;
const trials = 15;

function guid(i: number, salt: number): string {
  return `${salt.toString(16).padStart(8, "0")}-0000-4000-8000-${i.toString(16).padStart(12, "0")}`;
}

const examples = openapiDocument.components.examples;
/** The spec's two operation notifications (2018 and current), as JSON text. */
const exampleTexts = [examples.beta2018Notification.value, examples.currentNotification.value].map((value) =>
  JSON.stringify(value),
);

/**
 * An example with its call and operation ids replaced by `call` and `op`, in each spelling the
 * example uses: 32 uppercase hex digits in the paths (as the spec's examples spell them), dashed
 * lowercase in `id`.
 */
function withIds(text: string, call: string, op: string): string {
  const found = /\/calls\/([0-9A-F]{32})\/operations\/([0-9A-F]{32})/.exec(text);
  if (!found?.[1] || !found[2]) throw new Error("bench: a notification example names no operation");
  const upper = (id: string) => id.replaceAll("-", "").toUpperCase();
  return text
    .replaceAll(found[1], upper(call))
    .replaceAll(found[2], upper(op))
    .replaceAll(dashedGuid(found[1]), call)
    .replaceAll(dashedGuid(found[2]), op);
}

/**
 * Distinct bodies, a third of each kind: the spec's 2018 and current operation notifications with
 * fresh ids, and a call state change (the spec has no example of one; shaped as REFERENCE.md's).
 */
function bodies(): string[] {
  return Array.from({ length: distinctBodies }, (_, i) => {
    const call = guid(i, 1);
    const op = guid(i, 2);
    const example = exampleTexts[i % 3];
    if (example !== undefined) return withIds(example, call, op);
    return JSON.stringify({
      value: [
        {
          changeType: "updated",
          resourceUrl: `/communications/calls/${call}`,
          resourceData: { "@odata.type": "#microsoft.graph.call", state: "established" },
        },
      ],
    });
  });
}

const texts = bodies();
// Each operation body must name its own operation, or the tracker would see duplicates the bench did not mean.
const operations = new Set(
  texts.flatMap((text) =>
    parseCommsNotifications(text).flatMap((n) =>
      n.kind === "operation" ? [`${n.callId}/${n.operationId}`] : [],
    ),
  ),
);
if (operations.size !== Math.ceil((distinctBodies * 2) / 3))
  throw new Error(`bench: ${operations.size} distinct operations`);
const notificationsPerPass = texts.length; // one notification per body
let sink = 0;

function baseline(): number {
  const start = performance.now();
  for (let r = 0; r < rounds; r++) {
    for (const text of texts) sink += (JSON.parse(text) as { value: unknown[] }).value.length;
  }
  return (notificationsPerPass * rounds) / ((performance.now() - start) / 1000);
}

function parseOnly(): number {
  const start = performance.now();
  for (let r = 0; r < rounds; r++) {
    for (const text of texts) sink += parseCommsNotifications(text).length;
  }
  return (notificationsPerPass * rounds) / ((performance.now() - start) / 1000);
}

/** Parses every body and hands each notification to `dispatch`, awaiting them per round. */
async function parseAndDispatch(
  dispatch: (notification: ParsedNotification) => Promise<unknown>,
): Promise<number> {
  const start = performance.now();
  for (let r = 0; r < rounds; r++) {
    const dispatched: Promise<unknown>[] = [];
    for (const text of texts) {
      for (const notification of parseCommsNotifications(text)) dispatched.push(dispatch(notification));
    }
    sink += (await Promise.all(dispatched)).length;
  }
  return (notificationsPerPass * rounds) / ((performance.now() - start) / 1000);
}

/** Like {@link parseAndDispatch}, but with at most `limit` notifications handed over and not yet settled. */
async function parseAndDispatchInFlight(
  dispatch: (notification: ParsedNotification) => Promise<unknown>,
  limit: number,
): Promise<number> {
  const start = performance.now();
  for (let r = 0; r < rounds; r++) {
    await inFlight(texts, limit, async (text) => {
      for (const notification of parseCommsNotifications(text))
        sink += (await dispatch(notification)) ? 1 : 0;
    });
  }
  return (notificationsPerPass * rounds) / ((performance.now() - start) / 1000);
}

/** The target: dispatch to the operation tracker, which correlates (dedupes, keeps early notifications). */
const pipeline = () => parseAndDispatch(createOperationTracker().handle);

/** Dispatch without correlation: each notification handed to a callback of the user's that does nothing. */
const callbackOnly = () => parseAndDispatch(async () => {});

async function fullHandler(): Promise<number> {
  const tracker = createOperationTracker();
  const handle = createNotificationHandler({
    appId: "bench",
    auth: false,
    logger: { warn: () => {}, error: console.error },
    onNotification: tracker.handle,
  });
  const start = performance.now();
  for (const text of texts) {
    const response = await handle(
      new Request("http://127.0.0.1/api/calls", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: text,
      }),
    );
    if (response.status !== 202) throw new Error(`handler answered ${response.status}`);
  }
  return notificationsPerPass / ((performance.now() - start) / 1000);
}

// Warm up every path (JIT, ajv compilation) before measuring.
baseline();
parseOnly();
await pipeline();
await callbackOnly();
await fullHandler();

const base: number[] = [];
const parsed: number[] = [];
const piped: number[] = [];
const called: number[] = [];
const full: number[] = [];
for (let t = 0; t < trials; t++) {
  base.push(baseline());
  piped.push(await pipeline());
  called.push(await callbackOnly());
  parsed.push(parseOnly());
}
for (let t = 0; t < trials; t++) full.push(await fullHandler());

const format = (n: number) => `${Math.round(n).toLocaleString("en-US")} notifications/s`.padStart(28);
/** The median of the per-trial ratios to that trial's baseline (the full handler: to the t-th one), with their range. */
const ratio = (runs: number[]) => {
  const ratios = runs.map((n, t) => n / (base[t] as number));
  const range = `${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}`;
  return `${median(ratios).toFixed(2)}x baseline (trials ${range})`;
};
console.log(
  `notifications bench: ${texts.length} bodies x ${rounds} rounds, median of ${trials} trials (Node ${process.version})`,
);
const row = (label: string, runs: number[], note: string) =>
  console.log(`${label.padEnd(42)}${format(median(runs))}   ${ratio(runs)}, ${note}`);
console.log(`${"JSON.parse alone (baseline)".padEnd(42)}${format(median(base))}`);
row("parse + validate + dispatch to the tracker", piped, "target >= 0.50x");
row("parse + validate + dispatch to a callback", called, "informational");
row("parse + validate, no dispatch", parsed, "informational");
row("full handler, Request -> 202", full, "informational");
await redisRow();
if (sink < 0) console.log(sink);

// The bounds on hostile input (refusal time, memory store eviction): bench/notification-bounds.ts.
const bounds = await import("./notification-bounds.ts");
bounds.hostileRefusals();
bounds.memoryStoreAdds();

/**
 * The tracker on the Redis store, 32 notifications in flight, against the memory store under the
 * same driver in the same trial. Redis is emptied before each run, as each memory run has a fresh
 * tracker. The store's commands are counted on the way out (each is one request and one reply,
 * pipelined): per notification over the timed runs, and per wait() for notifications stored earlier.
 */
async function redisRow(): Promise<void> {
  const label = "tracker on the Redis store, 32 in flight";
  const missing = redisServerMissing();
  if (missing) {
    console.log(`${label.padEnd(42)}skipped: ${missing}`);
    return;
  }
  const redis = await startRedisServer();
  const client = createClient({ url: redis.url });
  client.on("error", (error: Error) => console.error("bench: redis:", error.message));
  let commands = 0;
  const counting: RedisClientLike = {
    get isReady() {
      return client.isReady;
    },
    sendCommand: (args, options) => {
      commands++;
      return client.sendCommand(args, options);
    },
    duplicate: () => client.duplicate(),
    on: (event, listener) => client.on(event, listener),
    off: (event, listener) => client.off(event, listener),
  };
  try {
    await client.connect();
    const store = await createRedisOperationStore({ client: counting });
    let tracker = createOperationTracker({ store });
    const onRedis = async () => {
      await client.flushDb();
      tracker = createOperationTracker({ store });
      return parseAndDispatchInFlight(tracker.handle, 32);
    };
    const inMemory = () => parseAndDispatchInFlight(createOperationTracker().handle, 32);
    await inMemory();
    await onRedis();
    const memory: number[] = [];
    const onStore: number[] = [];
    let timedCommands = 0;
    for (let t = 0; t < trials; t++) {
      memory.push(await inMemory());
      const before = commands;
      onStore.push(await onRedis());
      timedCommands += commands - before;
    }
    const beforeWaits = commands;
    const stored = [...operations].slice(0, 200).map((ids) => {
      const [callId = "", operationId = ""] = ids.split("/");
      return { callId, operationId };
    });
    await Promise.allSettled(stored.map((ids) => tracker.wait(ids)));
    const perWait = (commands - beforeWaits) / stored.length;
    await store.close();
    const ratios = onStore.map((n, t) => n / (memory[t] as number));
    const range = `${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}`;
    const operationNotifications = operations.size * rounds * trials;
    console.log(`${"the same on the memory store, 32 in flight".padEnd(42)}${format(median(memory))}`);
    console.log(
      `${label.padEnd(42)}${format(median(onStore))}   ${median(ratios).toFixed(2)}x the memory store (trials ${range}), target >= 0.25x`,
    );
    console.log(
      `${"  Redis commands (request + reply) each".padEnd(42)}${(timedCommands / operationNotifications).toFixed(2)} per operation notification (EVALSHA), 0 per other notification, ${perWait.toFixed(2)} per wait() (GET)`,
    );
  } finally {
    client.destroy();
    await redis.close();
  }
}
