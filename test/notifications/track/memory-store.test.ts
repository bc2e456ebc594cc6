/**
 * The in-memory operation store's bounds: options checked like every factory's, memory bounded in
 * bytes as well as entries (notifications may carry megabytes of extra members), and eviction in
 * constant work whatever the number of entries (counted in map operations, not timed).
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { InvalidArgumentError } from "../../../src/core/errors.ts";
import type {
  OperationNotification,
  OperationStatus,
} from "../../../src/notifications/parse/notification.ts";
import { parseCommsNotifications } from "../../../src/notifications/parse/parse.ts";
import { createMemoryOperationStore } from "../../../src/notifications/track/operation-store.ts";
import { createOperationTracker } from "../../../src/notifications/track/tracker.ts";
import { operationBatch } from "../../support/notification-fixtures.ts";

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** A final notification of operation number `i` (distinct ids), with `extra` members in its operation. */
function notification(i: number, extra: Record<string, unknown> = {}, status: OperationStatus = "completed") {
  const operationId = `00000000-0000-4000-8000-${i.toString(16).padStart(12, "0")}`;
  const [n] = parseCommsNotifications(operationBatch(status, { operationId }, extra));
  if (n?.kind !== "operation") throw new Error("fixture gave no operation notification");
  return n;
}

describe("createMemoryOperationStore: options", () => {
  it.each([
    ["maxEntry", "maxEntries"],
    ["maxbytes", "maxBytes"],
    ["ttlMS", "ttlMs"],
  ])("refuses the misspelt option %s, naming %s", (key, nearest) => {
    const create = () => createMemoryOperationStore({ [key]: 5 } as never);
    expect(create).toThrow(InvalidArgumentError);
    expect(create).toThrow(`options.${key} is not allowed (did you mean "${nearest}"?)`);
  });

  it.each([
    ["options.ttlMs", { ttlMs: 0 }],
    ["options.ttlMs", { ttlMs: Number.POSITIVE_INFINITY }],
    ["options.maxEntries", { maxEntries: 1.5 }],
    ["options.maxBytes", { maxBytes: "1 MB" }],
    ["options", null],
  ])("refuses a bad %s with InvalidArgumentError", (argument, options) => {
    const error = (() => {
      try {
        createMemoryOperationStore(options as never);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).argument).toBe(argument);
  });
});

describe("createMemoryOperationStore: memory", () => {
  it("keeps notifications whole: wait() gets what onNotification saw, subtype members included", async () => {
    const tracker = createOperationTracker();
    const early = notification(1, { recordingLocation: "https://media.example/rec-1" });
    await tracker.handle(early);
    const waited = await tracker.wait(early);
    expect(waited).toBe(early);
    expect(waited.operation.recordingLocation).toBe("https://media.example/rec-1");
  });

  it("holds 10,000 ordinary notifications by default (the entry cap binds, not the byte budget)", () => {
    const store = createMemoryOperationStore();
    for (let i = 0; i < 10_001; i++) store.add(`k${i}`, notification(i));
    expect(store.size).toBe(10_000);
    expect(store.bytes).toBeLessThan(64 * 1024 * 1024);
  });

  it("stays within maxBytes when notifications carry a megabyte of extra data each", () => {
    const maxBytes = 8 * 1024 * 1024;
    const store = createMemoryOperationStore({ maxBytes });
    const megabyte = "x".repeat(1024 * 1024);
    for (let i = 0; i < 40; i++) {
      expect(store.add(`k${i}`, notification(i, { padding: `${megabyte}${i}` }))).toBe(true);
    }
    // What is kept, measured by the kept objects' own shape: their JSON, at a byte per character.
    const kept = Array.from({ length: 40 }, (_, i) => store.get(`k${i}`)).filter((n) => n !== undefined);
    const retained = kept.reduce((sum, n) => sum + JSON.stringify(n).length, 0);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBe(store.size);
    expect(retained).toBeLessThanOrEqual(maxBytes);
    expect(store.bytes).toBeLessThanOrEqual(maxBytes);
    // The newest are the ones kept.
    expect(store.get("k39")).toBeDefined();
    expect(store.get("k0")).toBeUndefined();
  });

  it("does not keep a notification larger than maxBytes, yet reports it new", () => {
    const store = createMemoryOperationStore({ maxBytes: 10_000 });
    expect(store.add("small", notification(1))).toBe(true);
    expect(store.add("large", notification(2, { padding: "x".repeat(10_000) }))).toBe(true);
    expect(store.get("large")).toBeUndefined();
    expect(store.get("small")).toBeDefined();
    expect(store.size).toBe(1);
  });

  it("measures a cyclic notification (from a custom caller) without hanging, and does not keep it", () => {
    const store = createMemoryOperationStore({ maxBytes: 100_000 });
    const cyclic = notification(1, {});
    (cyclic.operation as Record<string, unknown>).self = cyclic.operation;
    expect(store.add("cyclic", cyclic)).toBe(true);
    expect(store.size).toBe(0);
  });

  it("accounts bytes exactly as entries come and go, also when the clock goes back", () => {
    vi.useFakeTimers();
    vi.setSystemTime(10_000);
    const store = createMemoryOperationStore({ ttlMs: 1_000, maxEntries: 3 });
    store.add("a", notification(1)); // expires at 11,000
    const one = store.bytes;
    expect(one).toBeGreaterThan(0);
    vi.setSystemTime(5_000); // the clock goes back
    store.add("b", notification(2)); // expires at 6,000, queued behind "a"
    vi.setSystemTime(7_000);
    expect(store.get("b")).toBeUndefined(); // expired, though "a" (older in the queue) is not
    const again = notification(3);
    expect(store.add("b", again)).toBe(true); // takes the key over
    expect(store.get("b")).toBe(again);
    expect(store.size).toBe(2);
    for (const key of ["c", "d", "e"]) store.add(key, notification(4));
    expect(store.size).toBe(3);
    vi.setSystemTime(20_000);
    expect([store.size, store.bytes]).toEqual([0, 0]);
  });
});

describe("createMemoryOperationStore: eviction", () => {
  /** Fills a store to `entries`, then counts the Map operations of `adds` more adds (each evicts one). */
  function mapOperationsPerAdd(entries: number, adds: number): { counted: number; iterations: number } {
    const store = createMemoryOperationStore({ maxEntries: entries });
    const n: OperationNotification = notification(1);
    for (let i = 0; i < entries; i++) store.add(`fill${i}`, n);
    const counted = (["get", "set", "has", "delete"] as const).map((method) =>
      vi.spyOn(Map.prototype, method),
    );
    const iterated = (["keys", "values", "entries", "forEach", Symbol.iterator] as const).map((method) =>
      vi.spyOn(Map.prototype, method as "keys"),
    );
    for (let i = 0; i < adds; i++) store.add(`more${i}`, n);
    const total = (spies: Array<{ mock: { calls: unknown[] } }>) =>
      spies.reduce((sum, spy) => sum + spy.mock.calls.length, 0);
    const result = { counted: total(counted) / adds, iterations: total(iterated) };
    vi.restoreAllMocks();
    expect(store.size).toBe(entries);
    return result;
  }

  it("does the same map work per add on a full store of 1,000 and of 20,000 entries, never iterating the map", () => {
    const small = mapOperationsPerAdd(1_000, 2_000);
    const large = mapOperationsPerAdd(20_000, 2_000);
    expect(small.counted).toBe(large.counted);
    expect(small.counted).toBeLessThanOrEqual(3); // get, set, delete
    // A map iterator skips the slots of every entry deleted since the last rehash: O(n) per add.
    expect([small.iterations, large.iterations]).toEqual([0, 0]);
  });
});
