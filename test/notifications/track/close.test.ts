/**
 * tracker.close(): pending waits reject with TrackerClosedError and their timers go, later calls are
 * refused, the tracker lets go of its store; a handler still serving answers 503 so Graph retries.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { NotificationsError, TrackerClosedError } from "../../../src/notifications/errors.ts";
import { parseCommsNotifications } from "../../../src/notifications/parse/parse.ts";
import { createNotificationHandler } from "../../../src/notifications/receive/handler.ts";
import {
  createMemoryOperationStore,
  type OperationStore,
} from "../../../src/notifications/track/operation-store.ts";
import { createOperationTracker } from "../../../src/notifications/track/tracker.ts";
import { callId, operationBatch, operationId } from "../../support/notification-fixtures.ts";

const op = { callId, operationId };

function completed(ids: Partial<typeof op> = {}) {
  const [n] = parseCommsNotifications(operationBatch("completed", ids));
  if (n?.kind !== "operation") throw new Error("fixture gave no operation notification");
  return n;
}

afterEach(() => {
  vi.useRealTimers();
});

describe("tracker.close()", () => {
  it("rejects every pending wait with TrackerClosedError naming its operation, and clears their timers", async () => {
    vi.useFakeTimers();
    const tracker = createOperationTracker({ timeoutMs: 60_000 });
    const first = tracker.wait(op);
    const second = tracker.wait({ callId, operationId: "11111111-2222-3333-4444-555555555555" });
    const third = tracker.wait(op, { timeoutMs: 5_000 });
    expect(vi.getTimerCount()).toBe(3);
    await tracker.close();
    expect(tracker.waiting).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    const error = await first.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrackerClosedError);
    expect(error).toBeInstanceOf(NotificationsError);
    expect(error).toMatchObject({ name: "TrackerClosedError", callId, operationId, retryable: true });
    expect((error as Error).message).toBe(
      `The operation tracker was closed before the final notification for operation ${operationId} of call ${callId} arrived`,
    );
    await expect(second).rejects.toMatchObject({ operationId: "11111111-2222-3333-4444-555555555555" });
    await expect(third).rejects.toBeInstanceOf(TrackerClosedError);
  });

  it("refuses later wait() and handle() calls, and is idempotent", async () => {
    const tracker = createOperationTracker();
    await tracker.close();
    await tracker.close();
    await expect(tracker.wait(op)).rejects.toBeInstanceOf(TrackerClosedError);
    await expect(tracker.handle(completed())).rejects.toThrow("The operation tracker is closed");
    expect(tracker.waiting).toBe(0);
  });

  it("lets a handler still serving answer 503 with Retry-After, so Graph delivers the batch again", async () => {
    const tracker = createOperationTracker();
    const logger = { warn: vi.fn(), error: vi.fn() };
    const handle = createNotificationHandler({
      appId: "app",
      auth: false,
      logger,
      onNotification: tracker.handle,
    });
    await tracker.close();
    const answer = await handle(
      new Request("http://127.0.0.1/api/calls", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(operationBatch("completed")),
      }),
    );
    expect(answer.status).toBe(503);
    expect(answer.headers.get("retry-after")).toBe("5");
  });

  it("unsubscribes from a shared store and leaves a store it was given open", async () => {
    const unsubscribed = vi.fn();
    const inner = createMemoryOperationStore();
    const store: OperationStore = {
      add: (key, n) => inner.add(key, n),
      get: (key) => inner.get(key),
      subscribe: () => unsubscribed,
    };
    const tracker = createOperationTracker({ store });
    const waiting = tracker.wait(op).catch(() => undefined);
    await tracker.close();
    await waiting;
    expect(unsubscribed).toHaveBeenCalledTimes(1);
    expect(inner.add("kept", completed())).toBe(true);
    expect(inner.size).toBe(1);
  });
});

describe("memory store close()", () => {
  it("forgets every kept notification", async () => {
    const store = createMemoryOperationStore();
    store.add("a", completed());
    store.add("b", completed({ operationId: "11111111-2222-3333-4444-555555555555" }));
    expect(store.size).toBe(2);
    await store.close();
    expect(store.size).toBe(0);
    expect(store.bytes).toBe(0);
    expect(store.get("a")).toBeUndefined();
  });
});
