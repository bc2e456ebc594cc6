/**
 * createRedisOperationStore against the shared redis-server: one process, several stores on one
 * prefix standing for several instances.
 */
import { randomUUID } from "node:crypto";
import { createClient, type RedisClientType } from "redis";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { InvalidArgumentError } from "../../src/core/errors.ts";
import { StoreUnavailableError } from "../../src/notifications/errors.ts";
import { createOperationTracker, operationKey as keyOf } from "../../src/notifications/index.ts";
import { parseCommsNotifications } from "../../src/notifications/parse/parse.ts";
import { createNotificationHandler } from "../../src/notifications/receive/handler.ts";
import {
  createRedisOperationStore,
  type RedisOperationStore,
  StoreValueError,
} from "../../src/redis/index.ts";
import { operationBatch } from "../support/notification-fixtures.ts";

type Client = RedisClientType;
const clients: Client[] = [];
const stores: RedisOperationStore[] = [];
let admin: Client;

async function connect(): Promise<Client> {
  const client = createClient({ url: inject("redisUrl") });
  client.on("error", () => {});
  clients.push(client);
  await client.connect();
  return client;
}

async function store(options: { keyPrefix: string; ttlMs?: number; client?: Client }) {
  const created = await createRedisOperationStore({
    client: options.client ?? (await connect()),
    ...options,
  });
  stores.push(created);
  return created;
}

/** A fresh operation, its final notification and its tracker key. */
function operation(status: "completed" | "failed" = "completed") {
  const ids = { callId: randomUUID(), operationId: randomUUID() };
  const [notification] = parseCommsNotifications(operationBatch(status, ids));
  if (notification?.kind !== "operation") throw new Error("fixture gave no operation notification");
  return { ids, notification, key: keyOf(ids.callId, ids.operationId) };
}

const prefix = () => `test:${randomUUID()}:`;

beforeAll(async () => {
  admin = await connect();
});

afterAll(async () => {
  for (const created of stores) await created.close();
  for (const client of clients) if (client.isOpen) client.destroy();
});

describe("createRedisOperationStore", () => {
  it("adds once per key, cluster-wide, and reads the notification back as the parser gives it", async () => {
    const keyPrefix = prefix();
    const [one, two] = [await store({ keyPrefix }), await store({ keyPrefix })];
    const { notification, key } = operation();
    const added = await Promise.all([one.add(key, notification), two.add(key, notification)]);
    expect(added.sort()).toEqual([false, true]);
    expect(await two.get(key)).toEqual(notification);
    expect(await one.get(operation().key)).toBeUndefined();
    // The value is the normalised notification as JSON, under the prefix, with the TTL set.
    expect(JSON.parse((await admin.get(keyPrefix + key)) ?? "null")).toMatchObject({
      kind: "operation",
      callId: notification.callId,
      status: "completed",
    });
    expect(await admin.pTTL(keyPrefix + key)).toBeGreaterThan(590_000);
  });

  it("settles waiters of every tracker on the prefix, including one whose notification came first", async () => {
    const keyPrefix = prefix();
    const here = createOperationTracker({ store: await store({ keyPrefix }) });
    const there = createOperationTracker({ store: await store({ keyPrefix }) });
    const elsewhere = createOperationTracker({ store: await store({ keyPrefix: prefix() }) });
    const late = operation("failed");
    const early = operation();
    expect(await there.handle(early.notification)).toBe("stored");
    const failed = here.wait(late.ids).catch((error: unknown) => error);
    const completed = here.wait(early.ids, { timeoutMs: 5_000 });
    const unrelated = elsewhere.wait(late.ids, { timeoutMs: 300 }).catch((error: unknown) => error);
    await expect.poll(() => here.waiting).toBe(1);
    expect(await there.handle(late.notification)).toBe("stored");
    expect(await there.handle(late.notification)).toBe("duplicate");
    expect(await failed).toMatchObject({
      name: "OperationFailedError",
      operationId: late.ids.operationId,
    });
    await expect(completed).resolves.toEqual(early.notification);
    expect(await unrelated).toMatchObject({ name: "OperationTimeoutError" });
    expect(here.waiting).toBe(0);
  });

  it("lets Redis expire keys after ttlMs", async () => {
    const created = await store({ keyPrefix: prefix(), ttlMs: 150 });
    const { notification, key } = operation();
    expect(await created.add(key, notification)).toBe(true);
    expect(await created.get(key)).toBeDefined();
    await expect.poll(() => created.get(key), { timeout: 2_000, interval: 50 }).toBeUndefined();
    expect(await created.add(key, notification)).toBe(true);
  });

  it.each([
    ["not JSON", "{oops", /holds a value that is not JSON: "\{oops"/],
    ["JSON of something else", '{"hello":"world"}', /holds JSON that is not an operation notification/],
    [
      "a notification that fails the spec",
      JSON.stringify({ kind: "operation", status: "completed", raw: { changeType: "nope" } }),
      /holds a notification that fails validation: .*changeType/,
    ],
  ])("refuses a value that is %s with StoreValueError naming the key", async (_, value, message) => {
    const keyPrefix = prefix();
    const created = await store({ keyPrefix });
    const { ids, key } = operation();
    await admin.set(keyPrefix + key, value);
    const error = await Promise.resolve(created.get(key)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreValueError);
    expect(error).toMatchObject({ key: keyPrefix + key, message: expect.stringMatching(message) });
    // A waiter gets the same clear error, not a crash and not a timeout.
    const tracker = createOperationTracker({ store: created });
    await expect(tracker.wait(ids, { timeoutMs: 5_000 })).rejects.toBeInstanceOf(StoreValueError);
  });

  it("refuses another operation's notification, and a key of another Redis type", async () => {
    const keyPrefix = prefix();
    const created = await store({ keyPrefix });
    const mine = operation();
    const theirs = operation();
    await admin.set(keyPrefix + mine.key, JSON.stringify(theirs.notification));
    await expect(created.get(mine.key)).rejects.toThrow(/holds the notification of another operation/);
    await admin.hSet(keyPrefix + theirs.key, "a", "b");
    await expect(created.get(theirs.key)).rejects.toThrow(
      new StoreValueError(keyPrefix + theirs.key, "holds another type of value than a string"),
    );
  });

  it("reads a key announced on its channel for its waiters: a foreign value there rejects them", async () => {
    const keyPrefix = prefix();
    const tracker = createOperationTracker({ store: await store({ keyPrefix }) });
    const { ids, key } = operation();
    const waiting = tracker.wait(ids, { timeoutMs: 5_000 }).catch((error: unknown) => error);
    await expect.poll(() => tracker.waiting).toBe(1);
    await admin.set(keyPrefix + key, '{"kind":"operation"}');
    await admin.publish(keyPrefix, keyPrefix + key);
    expect(await waiting).toMatchObject({
      name: "StoreValueError",
      message: expect.stringMatching(/holds JSON that is not an operation notification/),
    });
  });

  it("fails commands Redis leaves unanswered for commandTimeoutMs with StoreUnavailableError", async () => {
    const created = await createRedisOperationStore({
      client: await connect(),
      keyPrefix: prefix(),
      commandTimeoutMs: 200,
    });
    stores.push(created);
    const { notification, key } = operation();
    await admin.sendCommand(["CLIENT", "PAUSE", "800", "ALL"]);
    const started = performance.now();
    await expect(created.add(key, notification)).rejects.toThrow(
      new StoreUnavailableError("Redis is unreachable: no answer for 200 ms"),
    );
    expect(performance.now() - started).toBeLessThan(700);
    await admin.sendCommand(["CLIENT", "UNPAUSE"]);
  });

  it("rejects add and get with StoreUnavailableError while the client is disconnected", async () => {
    const client = await connect();
    const created = await store({ keyPrefix: prefix(), client });
    const { notification, key } = operation();
    client.destroy();
    await expect(created.add(key, notification)).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(created.get(key)).rejects.toThrow(/Redis is unreachable/);
    // The receiver turns it into 503 + Retry-After, and logs it once, not once per request.
    const errors: unknown[] = [];
    const handle = createNotificationHandler({
      appId: "test",
      auth: false,
      logger: { warn: () => {}, error: (...line) => errors.push(line) },
      onNotification: createOperationTracker({ store: created }).handle,
    });
    for (let i = 0; i < 3; i++) {
      const response = await handle(
        new Request("http://127.0.0.1/api/calls", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(operationBatch("completed", operation().ids)),
        }),
      );
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("5");
    }
    expect(errors).toHaveLength(1);
  });

  it("gives up with StoreUnavailableError when its subscriber cannot connect within commandTimeoutMs", async () => {
    let destroyed = false;
    const stuck = {
      isReady: true,
      sendCommand: async () => null,
      on: () => {},
      off: () => {},
      duplicate: () => ({
        connect: () => new Promise(() => {}),
        subscribe: async () => {},
        on: () => {},
        close: async () => {},
        destroy: () => {
          destroyed = true;
        },
      }),
    };
    await expect(createRedisOperationStore({ client: stuck, commandTimeoutMs: 100 })).rejects.toThrow(
      new StoreUnavailableError(
        "could not subscribe to Redis channel graph-comms-kit:operation:: no answer within 100 ms",
      ),
    );
    expect(destroyed).toBe(true);
  });

  it("refuses bad options with InvalidArgumentError", async () => {
    const client = await connect();
    await expect(createRedisOperationStore({ client, ttlMS: 5 } as never)).rejects.toThrow(
      new InvalidArgumentError(
        "options.ttlMS",
        'is not allowed (did you mean "ttlMs"?); allowed: client, keyPrefix, ttlMs, commandTimeoutMs',
      ),
    );
    await expect(createRedisOperationStore({ client, ttlMs: 0.5 })).rejects.toThrow(
      /options.ttlMs must be an integer >= 1/,
    );
    await expect(createRedisOperationStore({ client, keyPrefix: "" })).rejects.toThrow(
      /keyPrefix must not be empty/,
    );
    await expect(createRedisOperationStore({ client: {} as never })).rejects.toThrow(
      /must be a node-redis client/,
    );
    const unconnected = createClient({ url: inject("redisUrl") });
    await expect(createRedisOperationStore({ client: unconnected })).rejects.toThrow(
      /await client.connect\(\)/,
    );
  });
});
