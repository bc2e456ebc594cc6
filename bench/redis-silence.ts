/**
 * `node --expose-gc --import tsx bench/redis-silence.ts`: the Redis store when Redis stops answering
 * but the connection stays up (`CLIENT PAUSE`), on a redis-server the bench starts, with the default
 * `commandTimeoutMs` (2 s). 1. A notification is stored, then Redis pauses 3 s and `wait()` begins:
 * how it ends. 2. Redis pauses 10 s while 60 notifications of 0.96 MiB arrive, one per 100 ms
 * (`maxValueBytes` raised to 2 MiB so that they are sent at all): how many commands reach node-redis's
 * queue, and the heap they hold.
 */
import { randomUUID } from "node:crypto";
import { createClient } from "redis";
import { createOperationTracker } from "../src/notifications/index.ts";
import { parseCommsNotifications } from "../src/notifications/parse/parse.ts";
import { createRedisOperationStore, type RedisClientLike } from "../src/redis/index.ts";
import { operationBatch } from "../test/support/notification-fixtures.ts";
import { startRedisServer } from "../test/support/redis-server.ts";

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const redis = await startRedisServer();
const admin = createClient({ url: redis.url });
const client = createClient({ url: redis.url });
for (const each of [admin, client]) each.on("error", () => {});
await Promise.all([admin.connect(), client.connect()]);
let sent = 0;
const counting: RedisClientLike = {
  get isReady() {
    return client.isReady;
  },
  sendCommand: (args, options) => {
    sent++;
    return client.sendCommand(args, options);
  },
  duplicate: () => client.duplicate(),
  on: (event, listener) => client.on(event, listener),
  off: (event, listener) => client.off(event, listener),
};
const store = await createRedisOperationStore({
  client: counting,
  keyPrefix: "bench:",
  maxValueBytes: 2 << 20,
});
const tracker = createOperationTracker({ store });

const notification = (ids: { callId: string; operationId: string }, padding = 0) => {
  const extra = padding ? { padding: "x".repeat(padding) } : {};
  const [parsed] = parseCommsNotifications(operationBatch("completed", ids, extra));
  if (parsed?.kind !== "operation") throw new Error("fixture gave no operation notification");
  return parsed;
};

const ids = { callId: randomUUID(), operationId: randomUUID() };
await tracker.handle(notification(ids));
await admin.sendCommand(["CLIENT", "PAUSE", "3000", "ALL"]);
const started = Date.now();
const outcome = await tracker.wait(ids, { timeoutMs: 10_000 }).then(
  () => "resolved",
  (error: Error) => error.name,
);
console.log(`Redis silent 3 s, key stored before: wait() ${outcome} after ${Date.now() - started} ms`);
await new Promise((resolve) => setTimeout(resolve, 500));

await admin.sendCommand(["CLIENT", "PAUSE", "10000", "ALL"]);
gc();
const heapBefore = process.memoryUsage().heapUsed;
const sentBefore = sent;
const outcomes: string[] = [];
for (let i = 0; i < 60; i++) {
  const next = notification({ callId: randomUUID(), operationId: randomUUID() }, Math.floor(0.96 * 2 ** 20));
  tracker.handle(next).then(
    (result) => outcomes.push(result),
    (error: Error) => outcomes.push(error.name),
  );
  await new Promise((resolve) => setTimeout(resolve, 100));
}
await new Promise((resolve) => setTimeout(resolve, 2_500));
gc();
const heapMiB = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
const tally = Object.fromEntries(
  [...new Set(outcomes)].map((o) => [o, outcomes.filter((x) => x === o).length]),
);
console.log(
  `60 x 0.96 MiB while Redis is silent: ${sent - sentBefore} commands sent, heap +${heapMiB.toFixed(0)} MiB, ${JSON.stringify(tally)}`,
);
await store.close();
client.destroy();
admin.destroy();
await redis.close();
process.exit(0);
