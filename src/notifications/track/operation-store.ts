import { checkNumber, checkRecord } from "../../core/check.ts";
import type { OperationNotification } from "../parse/notification.ts";

/** Where a tracker keeps final operation notifications; an unreachable store rejects with `StoreUnavailableError`. */
export interface OperationStore {
  /** Records `notification` under `key` atomically unless taken: `true` when recorded now, `false` for a duplicate. */
  add(key: string, notification: OperationNotification): boolean | Promise<boolean>;
  /** The notification recorded under `key`, or `undefined` (never recorded, expired or evicted). */
  get(key: string): OperationNotification | undefined | Promise<OperationNotification | undefined>;
  /** For stores shared by several processes: tells `listener` of every key any process records, until unsubscribed. */
  subscribe?(listener: OperationStoreListener): () => void;
}

/** What a shared {@link OperationStore} tells a subscribed tracker. */
export interface OperationStoreListener {
  /** `key` was recorded, here or by another process (only the key travels: a waiter reads it with `get`). */
  added(key: string): void;
  /** Announcements may have been missed (a connection came back): `get` every key still awaited again. */
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
   * The most memory the kept notifications may take, by a high estimate, in bytes; the oldest are evicted first.
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
  close(): Promise<void>;
  /** How many notifications were evicted for room before their `ttlMs`: a later `wait()` cannot find those. */
  readonly evicted: number;
}

interface Entry {
  key: string;
  /** `undefined` once a newer entry took the key while this one waited in the queue (see `add`). */
  notification: OperationNotification | undefined;
  expiresAt: number;
  bytes: number;
  newer: Entry | undefined;
}

/**
 * An in-memory {@link OperationStore} bounded by `ttlMs` (swept lazily), `maxEntries` and `maxBytes`, in constant time.
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
  // A queue beside the map, as evicting in the map's own order is O(n) on a full store; the oldest expires first.
  let oldest: Entry | undefined;
  let newest: Entry | undefined;
  let bytes = 0;
  let evicted = 0;

  function dropOldest(forRoom = false): void {
    const entry = oldest as Entry;
    oldest = entry.newer;
    if (oldest === undefined) newest = undefined;
    if (entry.notification === undefined) return; // its key was taken over: already out of the map
    entries.delete(entry.key);
    bytes -= entry.bytes;
    if (forRoom) evicted++;
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
        // Expired but not swept (the clock went back): the old entry stays queued, emptied, and is skipped.
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
      while (entries.size > maxEntries || bytes > maxBytes) dropOldest(true);
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
    get evicted() {
      return evicted;
    },
  };
}

/** A high estimate of a kept notification's memory, stopping past `limit` (so cyclic values end too). */
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
