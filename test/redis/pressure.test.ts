/**
 * The Redis store under pressure: large values, a Redis that stops answering while its connection
 * stays up, writes refused for now (NOREPLICAS, READONLY, OOM) and `maxmemory` reached. This file
 * runs its own redis-server, since it pauses and reconfigures it.
 */
import { randomUUID } from "node:crypto";
import { createClient, type RedisClientType } from "redis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { StoreUnavailableError } from "../../src/notifications/errors.ts";
import { createOperationTracker, operationKey as keyOf } from "../../src/notifications/index.ts";
import { parseCommsNotifications } from "../../src/notifications/parse/parse.ts";
import { createNotificationHandler } from "../../src/notifications/receive/handler.ts";
import {
  createRedisOperationStore,
  type RedisClientLike,
  type RedisOperationStore,
  type RedisOperationStoreOptions,
} from "../../src/redis/index.ts";
import { operationBatch } from "../support/notification-fixtures.ts";
import { type RedisServer, startRedisServer } from "../support/redis-server.ts";

let redis: RedisServer;
let admin: RedisClientType;
const clients: RedisClientType[] = [];
const stores: RedisOperationStore[] = [];
/** Commands that put the server back as it was, run after each test. */
let restore: string[][] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  admin = await connect();
});

afterEach(async () => {
  for (const command of restore) await admin.sendCommand(command);
  restore = [];
});

afterAll(async () => {
  for (const store of stores) await store.close();
  for (const client of clients) if (client.isOpen) client.destroy();
  await redis?.close();
});

async function connect(): Promise<RedisClientType> {
  const client = createClient({ url: redis.url });
  client.on("error", () => {});
  clients.push(client);
  await client.connect();
  return client;
}

/** A store on its own client, which counts the commands the store sends. */
async function countedStore(options: Omit<RedisOperationStoreOptions, "client"> = {}) {
  const client = await connect();
  let sent = 0;
  const counting: RedisClientLike = {
    get isReady() {
      return client.isReady;
    },
    sendCommand: (args, commandOptions) => {
      sent++;
      return client.sendCommand(args, commandOptions);
    },
    duplicate: () => client.duplicate(),
    on: (event, listener) => client.on(event, listener),
    off: (event, listener) => client.off(event, listener),
  };
  const store = await createRedisOperationStore({ client: counting, keyPrefix: prefix(), ...options });
  stores.push(store);
  return { store, sent: () => sent };
}

const prefix = () => `test:${randomUUID()}:`;

/** A fresh operation's final notification, its body padded with `padding` characters. */
function operation(padding = 0) {
  const ids = { callId: randomUUID(), operationId: randomUUID() };
  const body = JSON.stringify(
    operationBatch("completed", ids, padding ? { padding: "x".repeat(padding) } : {}),
  );
  const [notification] = parseCommsNotifications(body);
  if (notification?.kind !== "operation") throw new Error("fixture gave no operation notification");
  return { ids, body, notification, key: keyOf(ids.callId, ids.operationId) };
}

const mebibyte = 1024 * 1024;

describe("the Redis store under pressure", () => {
  it("keeps a notification once (as Graph sent it), and not at all past maxValueBytes", async () => {
    const { store } = await countedStore({ maxValueBytes: 2 * mebibyte });
    const large = operation(Math.floor(0.96 * mebibyte));
    expect(await store.add(large.key, large.notification)).toBe(true);
    const keys = await admin.keys("test:*");
    const stored = await admin.strLen(keys.find((key) => key.endsWith(large.key)) ?? "none");
    // The body, not twice it (the parser's summary repeats the operation, stored before as well).
    expect(stored).toBeGreaterThan(0.95 * mebibyte);
    expect(stored).toBeLessThan(large.body.length);
    await expect(store.get(large.key)).resolves.toEqual(large.notification);

    // The default limit, 64 KiB: not kept, and the tracker still hands it to the waits it has.
    const { store: capped } = await countedStore();
    const tracker = createOperationTracker({ store: capped });
    const big = operation(Math.floor(0.96 * mebibyte));
    const waiting = tracker.wait(big.ids, { timeoutMs: 5_000 });
    await expect.poll(() => tracker.waiting).toBe(1);
    expect(await tracker.handle(big.notification)).toBe("delivered");
    await expect(waiting).resolves.toBe(big.notification);
    expect(await capped.get(big.key)).toBeUndefined();
    const small = operation(60 * 1024);
    expect(await capped.add(small.key, small.notification)).toBe(true);
    await expect(capped.get(small.key)).resolves.toEqual(small.notification);
  });

  it("settles a wait whose lookup timed out while Redis was silent, once Redis answers again", async () => {
    const { store } = await countedStore({ commandTimeoutMs: 200 });
    const tracker = createOperationTracker({ store });
    const early = operation();
    expect(await tracker.handle(early.notification)).toBe("stored");
    // Redis holds every command for 1.2 s; the connection stays up, so no `ready` follows.
    await admin.sendCommand(["CLIENT", "PAUSE", "1200", "ALL"]);
    const settled = tracker.wait(early.ids, { timeoutMs: 8_000 });
    await expect(settled).resolves.toEqual(early.notification);
  });

  it("sends nothing more while Redis is silent: its queue does not grow behind the unanswered commands", async () => {
    const { store, sent } = await countedStore({ commandTimeoutMs: 200 });
    await admin.sendCommand(["CLIENT", "PAUSE", "1500", "ALL"]);
    const first = operation();
    await expect(store.add(first.key, first.notification)).rejects.toThrow(
      new StoreUnavailableError("Redis is unreachable: no answer for 200 ms"),
    );
    const before = sent();
    for (let i = 0; i < 20; i++) {
      const next = operation(30 * 1024);
      await expect(store.add(next.key, next.notification)).rejects.toBeInstanceOf(StoreUnavailableError);
    }
    expect(sent() - before).toBe(0);
    // Once Redis answers again (the unanswered command's reply), the store sends again.
    const later = operation();
    await expect
      .poll(() => Promise.resolve(store.add(later.key, later.notification)).catch(() => "refused"), {
        timeout: 5_000,
        interval: 100,
      })
      .toBe(true);
  });

  it.each([
    [
      "NOREPLICAS",
      ["CONFIG", "SET", "min-replicas-to-write", "1"],
      ["CONFIG", "SET", "min-replicas-to-write", "0"],
    ],
    ["READONLY", ["REPLICAOF", "127.0.0.1", "1"], ["REPLICAOF", "NO", "ONE"]],
    ["OOM", ["CONFIG", "SET", "maxmemory", "1"], ["CONFIG", "SET", "maxmemory", "0"]],
  ])(
    "%s: 503 + Retry-After for every notification, one log line for the outage",
    async (reply, set, unset) => {
      const { store } = await countedStore();
      const errors: unknown[][] = [];
      const handle = createNotificationHandler({
        appId: "test",
        auth: false,
        logger: { warn: () => {}, error: (...line) => errors.push(line) },
        onNotification: createOperationTracker({ store }).handle,
      });
      await admin.sendCommand(set);
      restore = [unset];
      for (let i = 0; i < 3; i++) {
        const response = await handle(
          new Request("http://127.0.0.1/api/calls", {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: operation().body,
          }),
        );
        expect(response.status).toBe(503);
        expect(response.headers.get("retry-after")).toBe("5");
      }
      expect(errors).toHaveLength(1);
      expect(errors[0]?.[1]).toBeInstanceOf(StoreUnavailableError);
      expect(errors[0]?.[1]).toMatchObject({ message: expect.stringContaining(reply) });
    },
  );

  /**
   * Every key the store writes has a TTL, so each `volatile-*` and `allkeys-*` policy may evict a
   * notification already answered 202; `noeviction` refuses new writes instead (OOM: 503, and
   * Graph delivers again later), so every acknowledged notification stays until its TTL
   * (https://redis.io/topics/lru-cache/: the `volatile-*` policies evict keys with an expire set).
   */
  it.each([
    ["noeviction", true],
    ["allkeys-lru", false],
    ["volatile-ttl", false],
  ])("maxmemory-policy %s: acknowledged notifications all kept: %s", async (policy, keepsAll) => {
    await admin.flushAll();
    const used = Number(/used_memory:(\d+)/.exec(await admin.info("memory"))?.[1]);
    await admin.configSet({ maxmemory: String(used + 2 * mebibyte), "maxmemory-policy": policy });
    restore = [
      ["CONFIG", "SET", "maxmemory", "0"],
      ["CONFIG", "SET", "maxmemory-policy", "noeviction"],
    ];
    const { store } = await countedStore();
    const acknowledged: Array<ReturnType<typeof operation>> = [];
    let refused = 0;
    // 60 KiB each: 4 MiB in all, twice what maxmemory leaves.
    for (let i = 0; i < 70; i++) {
      const next = operation(60 * 1024);
      try {
        if (await store.add(next.key, next.notification)) acknowledged.push(next);
      } catch (error) {
        expect(error).toBeInstanceOf(StoreUnavailableError);
        refused++;
      }
    }
    const found = await Promise.all(acknowledged.map(({ key }) => store.get(key)));
    const kept = found.filter((notification) => notification !== undefined).length;
    if (keepsAll) {
      expect(refused).toBeGreaterThan(0);
      expect(kept).toBe(acknowledged.length);
    } else {
      expect(refused).toBe(0);
      expect(kept).toBeLessThan(acknowledged.length);
    }
  });
});
