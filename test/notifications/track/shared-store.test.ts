/**
 * The tracker over a store shared by several processes (one that offers `subscribe`), and the
 * receiver when a store is unreachable: what any shared store (Redis or another engine) relies on.
 */
import { describe, expect, it } from "vitest";
import { StoreUnavailableError } from "../../../src/notifications/errors.ts";
import type { OperationNotification } from "../../../src/notifications/parse/notification.ts";
import { parseCommsNotifications } from "../../../src/notifications/parse/parse.ts";
import { createNotificationHandler } from "../../../src/notifications/receive/handler.ts";
import type {
  OperationStore,
  OperationStoreListener,
} from "../../../src/notifications/track/operation-store.ts";
import { createOperationTracker } from "../../../src/notifications/track/tracker.ts";
import { callId, operationBatch, operationId, realShape } from "../../support/notification-fixtures.ts";

const op = { callId, operationId };

function notification(status: "completed" | "failed") {
  const [n] = parseCommsNotifications(operationBatch(status));
  if (n?.kind !== "operation") throw new Error("fixture gave no operation notification");
  return n;
}

/**
 * A store shared by "processes" in this test: one map; `elsewhere(...)` records as another process
 * would (with or without its announcement reaching us), and `down` makes every call fail.
 */
function sharedStore() {
  const entries = new Map<string, OperationNotification>();
  const listeners = new Set<OperationStoreListener>();
  let down = false;
  const unavailable = () => new StoreUnavailableError("the shared store is unreachable");
  const store: OperationStore = {
    async add(key, n) {
      if (down) throw unavailable();
      if (entries.has(key)) return false;
      entries.set(key, n);
      for (const listener of listeners) listener.added(key);
      return true;
    },
    async get(key) {
      if (down) throw unavailable();
      return entries.get(key);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return {
    store,
    listeners,
    setDown: (value: boolean) => {
      down = value;
    },
    /** Another process's tracker handles `n`: recorded and announced. */
    elsewhere: (n: OperationNotification) => createOperationTracker({ store }).handle(n),
    /** Records `n` under `key` unannounced, as when an announcement was missed. */
    record: (key: string, n: OperationNotification) => entries.set(key, n),
    resync: () => {
      for (const listener of listeners) listener.resync();
    },
  };
}

const key = `${callId.length}:${callId}:${operationId}`;

describe("the tracker over a shared store", () => {
  it("settles a wait when another process records the notification, and subscribes only while waiting", async () => {
    const shared = sharedStore();
    const tracker = createOperationTracker({ store: shared.store });
    expect(shared.listeners.size).toBe(0);
    const waiting = tracker.wait(op);
    expect(shared.listeners.size).toBe(1);
    expect(await shared.elsewhere(notification("completed"))).toBe("stored");
    await expect(waiting).resolves.toMatchObject({ status: "completed", callId });
    expect(shared.listeners.size).toBe(0);
    expect(tracker.waiting).toBe(0);
  });

  it("looks pending waits up again on resync (announcements missed while a connection was down)", async () => {
    const shared = sharedStore();
    const tracker = createOperationTracker({ store: shared.store });
    const waiting = tracker.wait(op, { timeoutMs: 5_000 });
    await Promise.resolve();
    shared.record(key, notification("failed"));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(tracker.waiting).toBe(1);
    shared.resync();
    await expect(waiting).rejects.toMatchObject({ name: "OperationFailedError" });
  });

  it("keeps waiting when the store is down at wait(), and settles after the resync", async () => {
    const shared = sharedStore();
    const tracker = createOperationTracker({ store: shared.store });
    shared.record(key, notification("completed"));
    shared.setDown(true);
    const waiting = tracker.wait(op, { timeoutMs: 5_000 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(tracker.waiting).toBe(1);
    shared.setDown(false);
    shared.resync();
    await expect(waiting).resolves.toMatchObject({ status: "completed" });
  });

  it("rejects at once when a store without subscribe is down (nothing would tell it the store is back)", async () => {
    const shared = sharedStore();
    shared.setDown(true);
    const tracker = createOperationTracker({ store: { add: shared.store.add, get: shared.store.get } });
    await expect(tracker.wait(op)).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it("reads an announced key only when it waits for it, and rejects its waiters if the value is bad", async () => {
    const shared = sharedStore();
    const reads: string[] = [];
    const store: OperationStore = {
      ...shared.store,
      get: (k) => {
        reads.push(k);
        if (k === key && reads.length > 2) throw new Error("corrupt value");
        return undefined;
      },
    };
    const tracker = createOperationTracker({ store });
    const waiting = tracker.wait(op).catch((error: unknown) => error);
    const other = tracker
      .wait({ callId, operationId: "other" }, { timeoutMs: 100 })
      .catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(reads).toHaveLength(2);
    for (const listener of shared.listeners) {
      listener.added("1:x:not-awaited");
      listener.added(key);
    }
    expect(await waiting).toMatchObject({ message: "corrupt value" });
    expect(await other).toMatchObject({ name: "OperationTimeoutError" });
    expect(reads).toEqual([key, expect.stringContaining(":other"), key]);
  });
});

describe("the receiver when the store is unreachable", () => {
  function post(body: unknown): Request {
    return new Request("http://127.0.0.1/api/calls", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  }

  it("answers 503 with Retry-After, logs once per outage, and again after the store was back", async () => {
    const shared = sharedStore();
    const logged: unknown[][] = [];
    const handle = createNotificationHandler({
      appId: "test",
      auth: false,
      logger: { warn: () => {}, error: (...line) => logged.push(line) },
      onNotification: createOperationTracker({ store: shared.store }).handle,
    });
    shared.setDown(true);
    for (let i = 0; i < 3; i++) {
      const response = await handle(post(operationBatch("completed", { operationId: `down-${i}` })));
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("5");
      expect(await response.json()).toMatchObject({
        error: {
          code: "ServiceUnavailable",
          message: "1 of 1 notifications could not be processed for now; retry later",
        },
      });
    }
    // A batch that does not touch the store says nothing about it: the outage is not over.
    expect((await handle(post(realShape(3)))).status).toBe(202);
    expect((await handle(post(operationBatch("completed", { operationId: "down-3" })))).status).toBe(503);
    expect(logged).toHaveLength(1);
    expect(logged[0]?.[1]).toBeInstanceOf(StoreUnavailableError);

    shared.setDown(false);
    expect((await handle(post(operationBatch("completed", { operationId: "up" })))).status).toBe(202);
    shared.setDown(true);
    expect((await handle(post(operationBatch("completed", { operationId: "down-again" })))).status).toBe(503);
    expect(logged).toHaveLength(2);
  });
});
