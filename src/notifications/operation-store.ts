import type { OperationNotification } from "./notification.ts";

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
  /** How long a notification is kept, in ms. Default 10 minutes. */
  ttlMs?: number;
  /** The most notifications kept; the oldest is evicted first. Default 10,000. */
  maxEntries?: number;
}

/** The in-memory {@link OperationStore}, with a `size` for observation. */
export interface MemoryOperationStore extends OperationStore {
  /** How many notifications are kept now (expired ones are dropped lazily). */
  readonly size: number;
}

/**
 * An in-memory {@link OperationStore} whose memory stays bounded: entries expire after `ttlMs`
 * (swept lazily, no timers) and the oldest are evicted beyond `maxEntries`. An evicted or expired
 * notification is forgotten: a `wait()` started later times out, and a repeat is delivered again.
 *
 * @example
 * const tracker = createOperationTracker({ store: createMemoryOperationStore({ ttlMs: 60_000, maxEntries: 1_000 }) });
 */
export function createMemoryOperationStore(options: MemoryOperationStoreOptions = {}): MemoryOperationStore {
  const ttlMs = positive("ttlMs", options.ttlMs, 10 * 60 * 1000);
  const maxEntries = positive("maxEntries", options.maxEntries, 10_000);
  if (!Number.isSafeInteger(maxEntries)) {
    throw new TypeError(`maxEntries must be an integer, got ${maxEntries}`);
  }
  const entries = new Map<string, { notification: OperationNotification; expiresAt: number }>();
  // Entries are kept in insertion order and share one TTL, so the oldest expires first: sweeping is
  // needed only once the clock passes the oldest entry's expiry (no iterator on the hot path).
  let oldestExpiresAt = Number.POSITIVE_INFINITY;

  function sweep(now: number): void {
    if (now < oldestExpiresAt) return;
    oldestExpiresAt = Number.POSITIVE_INFINITY;
    for (const [key, entry] of entries) {
      if (entry.expiresAt > now) {
        oldestExpiresAt = entry.expiresAt;
        break;
      }
      entries.delete(key);
    }
  }

  function evictOldest(): void {
    const oldest = entries.keys().next();
    if (!oldest.done) entries.delete(oldest.value);
    const next = entries.values().next();
    oldestExpiresAt = next.done ? Number.POSITIVE_INFINITY : next.value.expiresAt;
  }

  return {
    add(key, notification) {
      const now = Date.now();
      sweep(now);
      if (entries.has(key)) return false;
      entries.set(key, { notification, expiresAt: now + ttlMs });
      if (entries.size === 1) oldestExpiresAt = now + ttlMs;
      if (entries.size > maxEntries) evictOldest();
      return true;
    },
    get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expiresAt <= Date.now()) {
        entries.delete(key);
        return undefined;
      }
      return entry.notification;
    },
    get size() {
      sweep(Date.now());
      return entries.size;
    },
  };
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new TypeError(`${name} must be a finite number > 0, got ${String(value)}`);
  }
  return value;
}
