import { afterEach, describe, expect, it, vi } from "vitest";
import { InvalidArgumentError } from "../../../src/core/errors.ts";
import { OperationFailedError, OperationTimeoutError } from "../../../src/notifications/errors.ts";
import type { OperationStatus, ParsedNotification } from "../../../src/notifications/parse/notification.ts";
import { parseCommsNotifications } from "../../../src/notifications/parse/parse.ts";
import {
  createMemoryOperationStore,
  type OperationStore,
} from "../../../src/notifications/track/operation-store.ts";
import { createOperationTracker } from "../../../src/notifications/track/tracker.ts";
import {
  callId,
  operationBatch,
  operationId,
  realShape,
  upperCallId,
  upperOperationId,
} from "../../support/notification-fixtures.ts";

const op = { callId, operationId };

function notification(status: OperationStatus, ids: Partial<typeof op> = {}) {
  const [n] = parseCommsNotifications(operationBatch(status, ids));
  if (n?.kind !== "operation") throw new Error("fixture gave no operation notification");
  return n;
}

afterEach(() => {
  vi.useRealTimers();
});

describe("createOperationTracker", () => {
  it("resolves wait() with the completed notification", async () => {
    const tracker = createOperationTracker();
    const waiting = tracker.wait(op);
    expect(await tracker.handle(notification("completed"))).toBe("delivered");
    await expect(waiting).resolves.toMatchObject({
      status: "completed",
      callId,
      operationId,
      clientContext: "ctx-1",
    });
    expect(tracker.waiting).toBe(0);
  });

  it("rejects with OperationFailedError carrying resultInfo on failed", async () => {
    const tracker = createOperationTracker();
    const waiting = tracker.wait(op);
    await tracker.handle(notification("failed"));
    const error = await waiting.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OperationFailedError);
    expect(error).toMatchObject({
      callId,
      operationId,
      resultInfo: { code: 400, subcode: 8508, message: "cancelled" },
    });
    expect((error as Error).message).toContain("code 400, subcode 8508: cancelled");
  });

  it("ignores notStarted/running and non-operation notifications, then resolves on completed", async () => {
    const tracker = createOperationTracker();
    const waiting = tracker.wait(op);
    const [callState] = parseCommsNotifications(realShape(3));
    expect(await tracker.handle(notification("notStarted"))).toBe("ignored");
    expect(await tracker.handle(notification("running"))).toBe("ignored");
    expect(await tracker.handle(callState as NonNullable<typeof callState>)).toBe("ignored");
    expect(tracker.waiting).toBe(1);
    await tracker.handle(notification("completed"));
    await expect(waiting).resolves.toMatchObject({ status: "completed" });
  });

  it("times out with OperationTimeoutError", async () => {
    vi.useFakeTimers();
    const tracker = createOperationTracker();
    const waiting = tracker.wait(op, { timeoutMs: 5_000 });
    const settled = waiting.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(4_999);
    expect(tracker.waiting).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    const error = await settled;
    expect(error).toBeInstanceOf(OperationTimeoutError);
    expect(error).toMatchObject({ callId, operationId, timeoutMs: 5_000 });
    expect(tracker.waiting).toBe(0);
    expect(await tracker.handle(notification("completed"))).toBe("stored");
  });

  it("uses the tracker's default timeout", async () => {
    vi.useFakeTimers();
    const tracker = createOperationTracker({ timeoutMs: 100 });
    const settled = tracker.wait(op).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(100);
    expect(await settled).toMatchObject({ timeoutMs: 100 });
  });

  it("waits for ever with timeoutMs Infinity", async () => {
    vi.useFakeTimers();
    const tracker = createOperationTracker();
    const waiting = tracker.wait(op, { timeoutMs: Number.POSITIVE_INFINITY });
    await vi.advanceTimersByTimeAsync(10 * 24 * 60 * 60 * 1000);
    expect(vi.getTimerCount()).toBe(0);
    await tracker.handle(notification("completed"));
    await expect(waiting).resolves.toMatchObject({ status: "completed" });
  });

  it("rejects with the signal's reason on abort, and with an already aborted signal", async () => {
    const tracker = createOperationTracker();
    const controller = new AbortController();
    const waiting = tracker.wait(op, { signal: controller.signal });
    controller.abort(new Error("user gave up"));
    await expect(waiting).rejects.toThrow("user gave up");
    expect(tracker.waiting).toBe(0);
    await expect(tracker.wait(op, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: "AbortError",
    });
  });

  it("delivers a notification that arrived before wait()", async () => {
    const tracker = createOperationTracker();
    expect(await tracker.handle(notification("completed"))).toBe("stored");
    await expect(tracker.wait(op)).resolves.toMatchObject({ status: "completed" });
    // a failure stored early rejects the same way
    const other = { callId, operationId: "11111111-2222-3333-4444-555555555555" };
    await tracker.handle(notification("failed", other));
    await expect(tracker.wait(other)).rejects.toBeInstanceOf(OperationFailedError);
  });

  it("delivers duplicates once", async () => {
    const tracker = createOperationTracker();
    const waiting = tracker.wait(op);
    expect(await tracker.handle(notification("completed"))).toBe("delivered");
    expect(await tracker.handle(notification("completed"))).toBe("duplicate");
    expect(await tracker.handle(notification("failed"))).toBe("duplicate");
    await expect(waiting).resolves.toMatchObject({ status: "completed" });
  });

  it("resolves every caller waiting for the same operation", async () => {
    const tracker = createOperationTracker();
    const first = tracker.wait(op);
    const second = tracker.wait({ callId: upperCallId, operationId: upperOperationId });
    expect(tracker.waiting).toBe(2);
    await tracker.handle(notification("completed"));
    await expect(Promise.all([first, second])).resolves.toHaveLength(2);
  });

  it.each([
    [
      "uppercase 32-hex wait, dashed notification",
      { callId: upperCallId, operationId: upperOperationId },
      {},
    ],
    [
      "dashed wait, uppercase 32-hex notification",
      op,
      { callId: upperCallId, operationId: upperOperationId },
    ],
    [
      "braced uppercase wait, lowercase 32-hex notification",
      { callId: `{${callId.toUpperCase()}}`, operationId: ` ${operationId.toUpperCase()} ` },
      { callId: callId.replaceAll("-", ""), operationId: operationId.replaceAll("-", "") },
    ],
  ])("matches ids across spellings: %s", async (_, waitIds, notificationIds) => {
    const tracker = createOperationTracker();
    const waiting = tracker.wait(waitIds);
    expect(await tracker.handle(notification("completed", notificationIds))).toBe("delivered");
    await expect(waiting).resolves.toMatchObject({ callId, operationId });
  });

  it("does not match a different operation or a different call", async () => {
    const tracker = createOperationTracker();
    const waiting = tracker.wait(op, { timeoutMs: 50 });
    await tracker.handle(notification("completed", { operationId: "11111111-2222-3333-4444-555555555555" }));
    await tracker.handle(notification("completed", { callId: "99999999-2222-3333-4444-555555555555" }));
    await expect(waiting).rejects.toBeInstanceOf(OperationTimeoutError);
  });

  it("keeps calls apart that reuse an operation id, waiting or early", async () => {
    const tracker = createOperationTracker({ timeoutMs: 50 });
    const otherCall = "99999999-2222-3333-4444-555555555555";
    const onOther = tracker.wait({ callId: otherCall, operationId });
    expect(await tracker.handle(notification("completed"))).toBe("stored");
    expect(tracker.waiting).toBe(1);
    expect(await tracker.handle(notification("failed", { callId: otherCall }))).toBe("delivered");
    await expect(onOther).rejects.toBeInstanceOf(OperationFailedError);
    await expect(tracker.wait(op)).resolves.toMatchObject({ callId, status: "completed" });
  });

  it("never confuses two operations whose ids join to the same text", async () => {
    const tracker = createOperationTracker({ timeoutMs: 50 });
    const handled = [];
    const pairs: Array<[string, string]> = [
      ["ab", "c"],
      ["a", "bc"],
      ["2:a", "b"],
    ];
    for (const [call, operation] of pairs) {
      handled.push(await tracker.handle(notification("completed", { callId: call, operationId: operation })));
    }
    expect(handled).toEqual(["stored", "stored", "stored"]);
  });

  it("evicts the oldest early notifications beyond maxEntries", async () => {
    const tracker = createOperationTracker({ maxEntries: 2, timeoutMs: 20 });
    const ids = ["a", "b", "c"].map((operationId) => ({ callId, operationId }));
    for (const ids_ of ids) expect(await tracker.handle(notification("completed", ids_))).toBe("stored");
    await expect(tracker.wait(ids[0] as (typeof ids)[0])).rejects.toBeInstanceOf(OperationTimeoutError);
    await expect(tracker.wait(ids[1] as (typeof ids)[0])).resolves.toMatchObject({ operationId: "b" });
    await expect(tracker.wait(ids[2] as (typeof ids)[0])).resolves.toMatchObject({ operationId: "c" });
  });

  it("forgets early notifications after ttlMs", async () => {
    vi.useFakeTimers();
    const tracker = createOperationTracker({ ttlMs: 1_000, timeoutMs: 10 });
    await tracker.handle(notification("completed"));
    await vi.advanceTimersByTimeAsync(1_000);
    const settled = tracker.wait(op).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(10);
    expect(await settled).toBeInstanceOf(OperationTimeoutError);
  });

  it("works over a custom async store (the interface a shared store implements)", async () => {
    const memory = createMemoryOperationStore();
    const calls: string[] = [];
    const store: OperationStore = {
      add: async (key, n) => {
        calls.push("add");
        return memory.add(key, n);
      },
      get: async (key) => {
        calls.push("get");
        return memory.get(key);
      },
    };
    const tracker = createOperationTracker({ store });
    await tracker.handle(notification("completed"));
    await expect(tracker.wait(op)).resolves.toMatchObject({ status: "completed" });
    expect(calls).toEqual(["add", "get"]);
  });

  it("rejects wait() when the store fails, and handle() propagates store failures", async () => {
    const store: OperationStore = {
      add: () => Promise.reject(new Error("store down")),
      get: () => Promise.reject(new Error("store down")),
    };
    const tracker = createOperationTracker({ store });
    await expect(tracker.wait(op)).rejects.toThrow("store down");
    await expect(tracker.handle(notification("completed"))).rejects.toThrow("store down");
    expect(tracker.waiting).toBe(0);
  });

  it.each([
    ["no operation", undefined],
    ["empty callId", { callId: "", operationId }],
    ["numeric operationId", { callId, operationId: 5 }],
  ])("rejects wait() with %s", async (_, operation) => {
    const tracker = createOperationTracker();
    await expect(tracker.wait(operation as unknown as typeof op)).rejects.toThrow(TypeError);
  });

  it.each([0, -1, Number.NaN, "5"])("rejects timeoutMs %s with InvalidArgumentError", async (timeoutMs) => {
    const tracker = createOperationTracker();
    const waiting = tracker.wait(op, { timeoutMs: timeoutMs as number });
    await expect(waiting).rejects.toThrow(InvalidArgumentError);
    await expect(waiting).rejects.toThrow(/^options\.timeoutMs must be a number >= 1/);
    expect(() => createOperationTracker({ timeoutMs: timeoutMs as number })).toThrow(InvalidArgumentError);
  });

  it("reads timeoutMs as the client does: beyond what a timer holds (2^31 ms) is no limit, as Infinity is", async () => {
    const tracker = createOperationTracker({ timeoutMs: 2 ** 31 });
    const waiting = tracker.wait(op, { timeoutMs: 2 ** 40 });
    expect(tracker.waiting).toBe(1);
    await tracker.handle(parseCommsNotifications(operationBatch("completed"))[0] as ParsedNotification);
    await expect(waiting).resolves.toMatchObject({ status: "completed" });
  });

  it.each([
    [{ timeoutMS: 5 }, 'options.timeoutMS is not allowed (did you mean "timeoutMs"?)'],
    [{ maxEntrie: 5 }, 'options.maxEntrie is not allowed (did you mean "maxEntries"?)'],
  ])("rejects a misspelt option %j, naming the nearest", (options, message) => {
    expect(() => createOperationTracker(options as never)).toThrow(InvalidArgumentError);
    expect(() => createOperationTracker(options as never)).toThrow(message);
  });

  it("rejects a misspelt wait option, and a store without add/get", async () => {
    await expect(createOperationTracker().wait(op, { signl: undefined } as never)).rejects.toThrow(
      'options.signl is not allowed (did you mean "signal"?)',
    );
    expect(() => createOperationTracker({ store: {} as never })).toThrow(
      /options\.store must be an OperationStore/,
    );
  });
});

describe("createMemoryOperationStore", () => {
  it("adds once per key and reports its size", () => {
    const store = createMemoryOperationStore({ maxEntries: 3 });
    const n = notification("completed");
    expect(store.add("k", n)).toBe(true);
    expect(store.add("k", n)).toBe(false);
    expect(store.get("k")).toBe(n);
    expect(store.size).toBe(1);
  });

  it("never holds more than maxEntries", () => {
    const store = createMemoryOperationStore({ maxEntries: 100 });
    const n = notification("completed");
    for (let i = 0; i < 1_000; i++) store.add(`k${i}`, n);
    expect(store.size).toBe(100);
    expect(store.get("k899")).toBeUndefined();
    expect(store.get("k900")).toBe(n);
  });

  it("drops entries after ttlMs", () => {
    vi.useFakeTimers();
    const store = createMemoryOperationStore({ ttlMs: 500 });
    store.add("k", notification("completed"));
    vi.advanceTimersByTime(499);
    expect(store.size).toBe(1);
    vi.advanceTimersByTime(1);
    expect(store.get("k")).toBeUndefined();
    expect(store.size).toBe(0);
    expect(store.add("k", notification("completed"))).toBe(true);
  });

  it("expires entries oldest first as time passes, keeping the younger ones", () => {
    vi.useFakeTimers();
    const store = createMemoryOperationStore({ ttlMs: 1_000 });
    const n = notification("completed");
    store.add("t0", n);
    vi.advanceTimersByTime(400);
    store.add("t400", n);
    vi.advanceTimersByTime(400);
    store.add("t800", n);
    vi.advanceTimersByTime(300); // now 1100: t0 expired
    expect(store.add("t0", n)).toBe(true); // t0 expired, so it can be recorded again
    expect([store.get("t400"), store.get("t800")]).toEqual([n, n]);
    vi.advanceTimersByTime(300); // now 1400: t400 expired
    expect(store.get("t400")).toBeUndefined();
    expect(store.size).toBe(2); // t800 and the new t0
    vi.advanceTimersByTime(2_000);
    expect(store.size).toBe(0);
  });

  it("evicts by insertion order when full, then still expires by TTL", () => {
    vi.useFakeTimers();
    const store = createMemoryOperationStore({ ttlMs: 1_000, maxEntries: 2 });
    const n = notification("completed");
    store.add("a", n);
    vi.advanceTimersByTime(500);
    store.add("b", n);
    store.add("c", n); // evicts a
    expect(store.get("a")).toBeUndefined();
    vi.advanceTimersByTime(500); // b and c are 500 ms old
    expect(store.size).toBe(2);
    vi.advanceTimersByTime(500);
    expect(store.size).toBe(0);
  });

  it.each([
    ["ttlMs", { ttlMs: 0 }],
    ["ttlMs", { ttlMs: Number.POSITIVE_INFINITY }],
    ["maxEntries", { maxEntries: -1 }],
    ["maxEntries", { maxEntries: 1.5 }],
  ])("rejects a bad %s", (name, options) => {
    expect(() => createMemoryOperationStore(options)).toThrow(new RegExp(name));
  });
});
