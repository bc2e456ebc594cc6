import { checkNumber, checkRecord } from "../../core/check.ts";
import type { OperationNotification } from "../parse/notification.ts";

/**
 * Where a tracker keeps final operation notifications: those that arrive before anyone waits, and
 * the record that makes a repeated notification a duplicate. The in-memory default serves one
 * process; an implementation over a shared store (Redis, a database) lets a bot run on several
 * machines: it also offers `subscribe`, so that a waiter hears of a notification another instance
 * recorded. Methods may return promises; a store that cannot be reached should reject with
 * `StoreUnavailableError` (the receiver then answers 503 and Graph redelivers).
 */
export interface OperationStore {
  /**
   * Records `notification` under `key` unless something is already recorded there.
   * Returns `true` when it was recorded now, `false` when `key` was taken (a duplicate).
   * Must be atomic (set-if-absent) for duplicates to be delivered once.
   */
  add(key: string, notification: OperationNotification): boolean | Promise<boolean>;
  /** The notification recorded under `key`, or `undefined` (never recorded, expired or evicted). */
  get(key: string): OperationNotification | undefined | Promise<OperationNotification | undefined>;
  /**
   * Optional, for stores shared by several processes: tells `listener` about every key recorded from
   * now on, by any process, until the returned function is called. The tracker subscribes while
   * anything waits. Without it, a waiter hears only of notifications its own process handles.
   */
  subscribe?(listener: OperationStoreListener): () => void;
}

/**
 * What a shared {@link OperationStore} tells a subscribed tracker.
 *
 * @example
 * const unsubscribe = store.subscribe?.({ added: (key) => console.log("recorded:", key), resync: () => {} });
 */
export interface OperationStoreListener {
  /**
   * `key` was recorded, here or by another process: a tracker that waits for it reads it with
   * `get`. Only the key travels, so every process can be told of every key cheaply.
   */
  added(key: string): void;
  /**
   * Announcements may have been missed (the store's connection was lost and is back): look up
   * again, with `get`, every key still awaited.
   */
  resync(): void;
}

/** Options of {@link createMemoryOperationStore}. */
export interface MemoryOperationStoreOptions {
  /**
   * How long a notification is kept, in ms.
   * @default 600_000 (10 minutes)
   */
  ttlMs?: number;
  /**
   * The most notifications kept; the oldest is evicted first.
   * @default 10_000
   */
  maxEntries?: number;
  /**
   * The most memory the kept notifications may take, in bytes; the oldest are evicted first. Each
   * notification is measured once, when it is added, by an estimate that errs high: 2 bytes per
   * character of every string and key, 16 bytes per value and per member. Graph's operation
   * notifications measure 2 to 4 kB, so the default holds the default 10,000 of them; a notification
   * that carries megabytes of extra members counts for what it carries, so a few hundred of them
   * cannot hold gigabytes. A notification larger than `maxBytes` on its own is not kept (it is
   * still delivered to the callers waiting for it).
   * @default 67_108_864 (64 MiB)
   */
  maxBytes?: number;
}

/** The in-memory {@link OperationStore}, with `size` and `bytes` for observation. */
export interface MemoryOperationStore extends OperationStore {
  /** How many notifications are kept now (expired ones are dropped lazily). */
  readonly size: number;
  /** The estimated memory the kept notifications take, in bytes (see {@link MemoryOperationStoreOptions.maxBytes}). */
  readonly bytes: number;
  /** Forgets every kept notification. The store holds no timer or connection, so nothing else is released. */
  close(): Promise<void>;
}

/** A kept notification, in the queue of entries from oldest to newest. */
interface Entry {
  key: string;
  /** `undefined` once a newer entry took the key while this one waited in the queue (see `add`). */
  notification: OperationNotification | undefined;
  expiresAt: number;
  bytes: number;
  newer: Entry | undefined;
}

/**
 * An in-memory {@link OperationStore} whose memory stays bounded: entries expire after `ttlMs`
 * (swept lazily, no timers), and the oldest are evicted beyond `maxEntries` or `maxBytes`. It keeps
 * each notification whole, so `wait()` resolves with the notification `onNotification` saw whether
 * it arrived before or after the call. An evicted or expired notification is forgotten: a `wait()`
 * started later times out, and a repeat is delivered again. Adding, finding and evicting take
 * constant time whatever the number of entries (amortised: each entry leaves the queue once;
 * measuring a notification takes time in its size).
 *
 * @example
 * const tracker = createOperationTracker({ store: createMemoryOperationStore({ ttlMs: 60_000, maxEntries: 1_000 }) });
 */
export function createMemoryOperationStore(options: MemoryOperationStoreOptions = {}): MemoryOperationStore {
  checkRecord("options", options, ["ttlMs", "maxEntries", "maxBytes"]);
  const ttlMs = options.ttlMs === undefined ? 10 * 60 * 1000 : checkNumber("options.ttlMs", options.ttlMs, 1);
  const maxEntries =
    options.maxEntries === undefined
      ? 10_000
      : checkNumber("options.maxEntries", options.maxEntries, 1, true);
  const maxBytes =
    options.maxBytes === undefined
      ? 64 * 1024 * 1024
      : checkNumber("options.maxBytes", options.maxBytes, 1, true);
  const entries = new Map<string, Entry>();
  // Why a queue beside the map: evicting through the map's own order (`keys().next()`) walks the
  // slots of every entry deleted since the map last rehashed, O(n) per add on a full store
  // (26 µs at 10,000 entries, 152 µs at 100,000). Entries share one TTL, so the oldest expires first.
  let oldest: Entry | undefined;
  let newest: Entry | undefined;
  let bytes = 0;

  function dropOldest(): void {
    const entry = oldest as Entry;
    oldest = entry.newer;
    if (oldest === undefined) newest = undefined;
    if (entry.notification === undefined) return; // its key was taken over: already out of the map
    entries.delete(entry.key);
    bytes -= entry.bytes;
  }

  function sweep(now: number): void {
    while (oldest !== undefined && (oldest.expiresAt <= now || oldest.notification === undefined))
      dropOldest();
  }

  return {
    add(key, notification) {
      const now = Date.now();
      sweep(now);
      const existing = entries.get(key);
      if (existing !== undefined) {
        if (existing.expiresAt > now) return false;
        // Expired but not yet swept (the clock went back since younger entries were added): the
        // old entry stays queued, emptied, and is skipped when the queue reaches it.
        entries.delete(key);
        bytes -= existing.bytes;
        existing.notification = undefined;
      }
      const size = estimateBytes(key, notification, maxBytes);
      if (size > maxBytes) return true;
      const entry: Entry = { key, notification, expiresAt: now + ttlMs, bytes: size, newer: undefined };
      entries.set(key, entry);
      if (newest === undefined) oldest = entry;
      else newest.newer = entry;
      newest = entry;
      bytes += size;
      while (entries.size > maxEntries || bytes > maxBytes) dropOldest();
      return true;
    },
    get(key) {
      const entry = entries.get(key);
      if (entry === undefined) return undefined;
      const now = Date.now();
      if (entry.expiresAt > now) return entry.notification;
      sweep(now);
      return undefined;
    },
    get size() {
      sweep(Date.now());
      return entries.size;
    },
    get bytes() {
      sweep(Date.now());
      return bytes;
    },
    close() {
      entries.clear();
      oldest = undefined;
      newest = undefined;
      bytes = 0;
      return Promise.resolve();
    },
  };
}

/**
 * The memory a notification kept under `key` takes, estimated high (see
 * {@link MemoryOperationStoreOptions.maxBytes}); it stops counting once past `limit`. Iterative. A
 * shared object is counted once per path to it, except the parser's `operation`, which is also
 * `raw.resourceData` (no set of seen objects: this runs once per final notification); any value,
 * cyclic ones included, is measured in time bounded by its size and by `limit`.
 */
function estimateBytes(key: string, notification: OperationNotification, limit: number): number {
  let total = 2 * key.length + 16;
  const pending: unknown[] = [];
  for (const member of Object.keys(notification)) {
    total += 16 + 2 * member.length;
    const value = notification[member as keyof OperationNotification];
    if (member !== "operation" || value !== notification.raw?.resourceData) pending.push(value);
  }
  while (pending.length > 0 && total <= limit) {
    const value = pending.pop();
    total += 16;
    if (typeof value === "string") total += 2 * value.length;
    if (typeof value !== "object" || value === null) continue;
    if (Array.isArray(value)) {
      for (const item of value) pending.push(item);
      continue;
    }
    for (const member of Object.keys(value)) {
      total += 16 + 2 * member.length;
      pending.push((value as Record<string, unknown>)[member]);
    }
  }
  return total;
}
