/**
 * Several bot instances sharing one tracker through Redis, each in its own process with its own
 * client: two receivers behind a "load balancer" (the test, choosing at random) and one waiter.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { inFlight } from "../support/in-flight.ts";
import {
  type Ids,
  type Instance,
  type Outcome,
  postNotifications,
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
    // Graph batches notifications: each POST carries 1 to 8, all for the same receiver(s).
    const batches = (list: Operation[]) => {
      const grouped: Operation[][] = [];
      for (const route of ["a", "b", "both"]) {
        const routed = list.filter((operation) => operation.route === route);
        for (let i = 0; i < routed.length; ) {
          const size = 1 + Math.floor(random() * 8);
          grouped.push(routed.slice(i, i + size));
          i += size;
        }
      }
      return grouped.sort(() => random() - 0.5);
    };
    const statuses: number[] = [];
    const deliver = async (batch: Operation[]) => {
      const route = batch[0]?.route;
      const origins = route === "both" ? [a.origin, b.origin] : [route === "a" ? a.origin : b.origin];
      const answers = await Promise.all(origins.map((origin) => postNotifications(origin, batch)));
      statuses.push(...answers.map((answer) => answer.status));
    };

    await inFlight(batches(operations.filter((operation) => operation.early)), 16, deliver);
    waiter.send({
      type: "wait",
      operations: operations.map(({ callId, operationId }) => ({ callId, operationId })),
      timeoutMs: 45_000,
    });
    expect((await waiter.next("waiting")).count).toBe(operationCount);
    await inFlight(batches(operations.filter((operation) => !operation.early)), 16, deliver);
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
