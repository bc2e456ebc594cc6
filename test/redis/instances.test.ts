/**
 * Several bot instances sharing one tracker through Redis, each in its own process with its own
 * client: two receivers behind a "load balancer" (the test, choosing at random) and one waiter.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  type Ids,
  type Instance,
  inFlight,
  type Outcome,
  postNotification,
  seededRandom,
  startInstance,
} from "./support/instances.ts";

const operationCount = 10_000;
const seed = Number(process.env.REDIS_TEST_SEED ?? Date.now() % 1_000_000);

interface Operation extends Ids {
  status: "completed" | "failed";
  /** Which receiver(s) Graph's POST reaches: both for a redelivery that the balancer sent elsewhere. */
  route: "a" | "b" | "both";
  /** Whether the notification arrives before wait() begins. */
  early: boolean;
}

const instances: Instance[] = [];

afterAll(async () => {
  await Promise.all(instances.map((instance) => instance.stop()));
});

describe(`two receivers and a waiter in separate processes (seed ${seed})`, () => {
  let a: Instance;
  let b: Instance;
  let waiter: Instance;

  beforeAll(async () => {
    const keyPrefix = `test:${randomUUID()}:`;
    [a, b, waiter] = await Promise.all([
      startInstance("receiver", inject("redisUrl"), keyPrefix),
      startInstance("receiver", inject("redisUrl"), keyPrefix),
      startInstance("waiter", inject("redisUrl"), keyPrefix),
    ]);
    instances.push(a, b, waiter);
  }, 30_000);

  it(`settles each of ${operationCount.toLocaleString("en-US")} waits once, with the right outcome, whichever receiver got the notification`, {
    timeout: 60_000,
  }, async () => {
    const random = seededRandom(seed);
    const operations: Operation[] = Array.from({ length: operationCount }, () => {
      const pick = random();
      return {
        callId: randomUUID(),
        operationId: randomUUID(),
        status: random() < 0.8 ? "completed" : "failed",
        route: pick < 0.45 ? "a" : pick < 0.9 ? "b" : "both",
        early: random() < 0.2,
      };
    });
    const statuses: number[] = [];
    const deliver = async (operation: Operation) => {
      const origins =
        operation.route === "both" ? [a.origin, b.origin] : [operation.route === "a" ? a.origin : b.origin];
      const answers = await Promise.all(
        origins.map((origin) => postNotification(origin, operation, operation.status)),
      );
      statuses.push(...answers.map((answer) => answer.status));
    };

    await inFlight(
      operations.filter((operation) => operation.early),
      32,
      deliver,
    );
    waiter.send({
      type: "wait",
      operations: operations.map(({ callId, operationId }) => ({ callId, operationId })),
      timeoutMs: 45_000,
    });
    expect((await waiter.next("waiting")).count).toBe(operationCount);
    await inFlight(
      operations.filter((operation) => !operation.early),
      32,
      deliver,
    );
    await expect
      .poll(() => waiter.outcomes.length, { timeout: 45_000, interval: 100 })
      .toBeGreaterThanOrEqual(operationCount);

    expect(statuses.filter((status) => status !== 202)).toEqual([]);
    const byOperation = new Map<string, Outcome[]>();
    for (const outcome of waiter.outcomes) {
      const key = `${outcome.callId}/${outcome.operationId}`;
      byOperation.set(key, [...(byOperation.get(key) ?? []), outcome]);
    }
    const wrong = operations.filter((operation) => {
      const reported = byOperation.get(`${operation.callId}/${operation.operationId}`) ?? [];
      return reported.length !== 1 || reported[0]?.outcome !== operation.status;
    });
    expect(wrong.slice(0, 5), `${wrong.length} operations settled wrongly`).toEqual([]);
    expect(waiter.outcomes).toHaveLength(operationCount);
    expect((await requestReport(waiter)).waiting).toBe(0);

    // Cluster-wide, each notification was recorded once; every second copy was a duplicate.
    const [fromA, fromB] = [await requestReport(a), await requestReport(b)];
    const both = operations.filter((operation) => operation.route === "both").length;
    expect(fromA.handled.stored + fromB.handled.stored).toBe(operationCount);
    expect(fromA.handled.duplicate + fromB.handled.duplicate).toBe(both);
    expect(fromA.handled.delivered + fromB.handled.delivered).toBe(0);
    expect([...fromA.logged, ...fromB.logged]).toEqual([]);
  });
});

async function requestReport(instance: Instance) {
  const report = instance.next("report");
  instance.send({ type: "report" });
  return report;
}
