/**
 * Redis blips under several instances (separate processes): a waiter's subscriber killed with
 * CLIENT KILL while notifications are announced, then Redis shut down (keeping its data) and
 * started again while notifications keep coming. This file runs its own redis-server.
 */
import { randomUUID } from "node:crypto";
import { createClient, type RedisClientType } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { operationKey as keyOf } from "../../src/notifications/index.ts";
import { parseCommsNotifications } from "../../src/notifications/parse/parse.ts";
import { inFlight } from "../support/in-flight.ts";
import { operationBatch } from "../support/notification-fixtures.ts";
import { type RedisServer, startRedisServer } from "../support/redis-server.ts";
import { type Ids, type Instance, postNotifications, startInstance } from "./support/instances.ts";

interface Operation extends Ids {
  status: "completed" | "failed";
}

const operations = (count: number): Operation[] =>
  Array.from({ length: count }, (_, i) => ({
    callId: randomUUID(),
    operationId: randomUUID(),
    status: i % 4 === 0 ? "failed" : "completed",
  }));

let redis: RedisServer;
let admin: RedisClientType;
const instances: Instance[] = [];

afterAll(async () => {
  await Promise.all(instances.map((instance) => instance.stop()));
  admin?.destroy();
  await redis?.close();
});

describe("Redis restarted and a subscriber killed in the middle of a run", () => {
  let a: Instance;
  let b: Instance;
  let waiter: Instance;
  const keyPrefix = `test:${randomUUID()}:`;

  beforeAll(async () => {
    redis = await startRedisServer();
    admin = createClient({ url: redis.url });
    admin.on("error", () => {});
    await admin.connect();
    [a, b, waiter] = await Promise.all([
      startInstance("receiver", redis.url, keyPrefix),
      startInstance("receiver", redis.url, keyPrefix),
      startInstance("waiter", redis.url, keyPrefix),
    ]);
    instances.push(a, b, waiter);
  }, 30_000);

  it("settles every operation Redis still holds after reconnecting, and answers 503 while it is down", {
    timeout: 60_000,
  }, async () => {
    const early = operations(100); // stored before wait()
    const announced = operations(200); // announced while the waiter listens
    const missed = operations(100); // recorded, its announcements lost
    const held = operations(100); // stored before Redis stops, waited for while it is down
    const refused = operations(100); // sent while Redis is down: 503, then delivered again
    const receivers = [a, b];
    const post = (operation: Operation, i: number) =>
      postNotifications((receivers[i % 2] as Instance).origin, [operation]);
    const deliver = async (list: Operation[]) => {
      const statuses: number[] = [];
      await inFlight(
        list.map((operation, i) => [operation, i] as const),
        32,
        async ([operation, i]) => statuses.push((await post(operation, i)).status),
      );
      expect(statuses.filter((status) => status !== 202)).toEqual([]);
    };
    const settledOnce = (list: Operation[]) => {
      const wrong = list.filter((operation) => {
        const reported = waiter.outcomes.filter(
          (o) => o.callId === operation.callId && o.operationId === operation.operationId,
        );
        return reported.length !== 1 || reported[0]?.outcome !== operation.status;
      });
      return wrong.length;
    };
    const waitFor = async (list: Operation[]) => {
      waiter.send({
        type: "wait",
        operations: list.map(({ callId, operationId }) => ({ callId, operationId })),
        timeoutMs: 30_000,
      });
      await waiter.next("waiting");
    };

    await deliver(early);
    await waitFor([...early, ...announced, ...missed, ...refused]);
    await deliver(announced);
    await expect.poll(() => settledOnce([...early, ...announced]), { timeout: 10_000 }).toBe(0);

    // `missed` is recorded as a store records it, but its announcements are lost (as they are while
    // a subscriber reconnects): the waiter cannot hear of it...
    for (const operation of missed) {
      const key = keyPrefix + keyOf(operation.callId, operation.operationId);
      await admin.set(key, JSON.stringify(notificationOf(operation)), {
        expiration: { type: "PX", value: 600_000 },
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(settledOnce(missed)).toBe(missed.length);
    // ...until its subscriber is killed (CLIENT KILL) and comes back.
    const subscriberId = /^id=(\d+) /.exec(
      String(await admin.sendCommand(["CLIENT", "LIST", "TYPE", "pubsub"]))
        .split("\n")
        .find((line) => line.includes(`name=${waiter.name} `)) ?? "",
    )?.[1];
    expect(subscriberId, "the waiter's subscriber is connected").toBeDefined();
    expect(await admin.sendCommand(["CLIENT", "KILL", "ID", subscriberId as string])).toBe(1);
    // Reconnected, the subscriber looks the waits up again and finds `missed` in Redis.
    await expect.poll(() => settledOnce(missed), { timeout: 10_000 }).toBe(0);

    await deliver(held);
    await redis.stop({ save: true });
    // Down: every receiver refuses with 503 + Retry-After, and a wait that begins now stays pending.
    await waitFor(held);
    const refusals = await Promise.all(refused.map(post));
    expect(new Set(refusals.map((answer) => `${answer.status} retry-after=${answer.retryAfter}`))).toEqual(
      new Set(["503 retry-after=5"]),
    );
    expect(settledOnce(held)).toBe(held.length);

    await redis.start();
    // Graph delivers refused batches again; until the receivers' clients are back, they answer 503.
    await inFlight(
      refused.map((operation, i) => [operation, i] as const),
      32,
      async ([operation, i]) => {
        for (let attempt = 1; (await post(operation, i)).status !== 202; attempt++) {
          if (attempt === 100) throw new Error("a receiver still refuses 10 s after Redis came back");
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      },
    );
    const all = [...early, ...announced, ...missed, ...held, ...refused];
    await expect.poll(() => settledOnce(all), { timeout: 15_000 }).toBe(0);
    expect(waiter.outcomes).toHaveLength(all.length);

    // The outage was logged once by each receiver, not once per refused request.
    for (const receiver of receivers) {
      const report = receiver.next("report");
      receiver.send({ type: "report" });
      expect((await report).logged).toEqual([
        "notification handler: the operation store is unavailable; answering 503 until it is back",
      ]);
    }
  });
});

function notificationOf(operation: Operation) {
  const [notification] = parseCommsNotifications(operationBatch(operation.status, operation));
  if (notification?.kind !== "operation") throw new Error("fixture gave no operation notification");
  return notification;
}
