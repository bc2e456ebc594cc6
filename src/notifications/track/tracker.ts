import { checkRecord, checkTimeout, fail, typeOf } from "../../core/check.ts";
import { normalizeId } from "../../core/operation-id.ts";
import type { OperationIds } from "../../core/operation-path.ts";
import { normalizeOperationStatus } from "../../core/operation-status.ts";
import { checkTelemetry, type Telemetry } from "../../core/telemetry.ts";
import {
  OperationFailedError,
  OperationTimeoutError,
  StoreUnavailableError,
  TrackerClosedError,
} from "../errors.ts";
import {
  type CommsOperation,
  isFinalOperation,
  type OperationAnswer,
  type OperationNotification,
  type OperationOutcome,
  type ParsedNotification,
} from "../parse/notification.ts";
import { readOperationFields } from "../parse/operation-fields.ts";
import { operationKey } from "./operation-key.ts";
import {
  createMemoryOperationStore,
  type MemoryOperationStore,
  type MemoryOperationStoreOptions,
  type OperationStore,
  type OperationStoreListener,
} from "./operation-store.ts";
import { measured } from "./tracker-telemetry.ts";

/** Options of {@link OperationTracker.wait}. */
export interface WaitOptions {
  /**
   * How long to wait for the final notification, in ms; `Infinity` waits for ever.
   * @default the tracker's `timeoutMs`
   */
  timeoutMs?: number;
  /** Stops waiting; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** The operation to wait for: the client's `OperationRef` (an answer already final settles `wait()` at once), or its ids. */
export interface WaitTarget extends OperationIds {
  /** The HTTP status of the action's answer: present on an answer, whose `status` is then read. */
  httpStatus?: number;
  /** The status the action's answer gave (any casing): `completed` resolves and `failed` rejects at once. */
  status?: string | undefined;
  /** The answer's operation body, read for `resultInfo`, `clientContext` and the type of a final answer. */
  operation?: unknown;
}

/** Options of {@link createOperationTracker}. */
export interface OperationTrackerOptions extends MemoryOperationStoreOptions {
  /**
   * Where final notifications are kept; a shared store (`graph-comms-kit/redis`) serves several instances.
   * @default an in-memory store built from `ttlMs`, `maxEntries` and `maxBytes`
   */
  store?: OperationStore;
  /**
   * The default `wait()` timeout, in ms (more for prompts and recordings); `Infinity` waits for ever.
   * @default 30000
   */
  timeoutMs?: number;
  /**
   * Where the notifications handled (by outcome) and `wait()` durations go (`createTelemetry()`).
   * @default none (nothing is measured)
   */
  telemetry?: Telemetry;
}

/** What {@link OperationTracker.handle} did: `delivered` to waiters, `stored` for a later `wait()`, `duplicate`, or `ignored`. */
export type HandleResult = "delivered" | "stored" | "duplicate" | "ignored";

/** Matches operation notifications to the callers waiting for them. */
export interface OperationTracker {
  /** Takes a parsed notification (pass it as the handler's `onNotification`). Bound; safe to pass around. */
  handle(notification: ParsedNotification): Promise<HandleResult>;
  /** Resolves with the `completed` outcome, or rejects with {@link OperationFailedError}, {@link OperationTimeoutError} or the signal's reason. */
  wait(operation: WaitTarget, options?: WaitOptions): Promise<OperationOutcome>;
  /** How many `wait()` calls are pending. */
  readonly waiting: number;
  /** Rejects pending and later calls with {@link TrackerClosedError}; a store you passed in stays open. Idempotent. */
  close(): Promise<void>;
}

interface Waiter {
  settle(outcome: OperationOutcome): void;
  fail(error: unknown): void;
  /** The operation waited for, for the error that {@link OperationTracker.close} rejects it with. */
  ids: { callId: string; operationId: string };
}

/** One settled promise per answer of `handle()`, shared: settled promises cannot change. */
const answers: Readonly<Record<HandleResult, Promise<HandleResult>>> = {
  delivered: Promise.resolve("delivered"),
  stored: Promise.resolve("stored"),
  duplicate: Promise.resolve("duplicate"),
  ignored: Promise.resolve("ignored"),
};

/**
 * Creates an operation tracker: `wait(op)` learns how an operation ended from Graph's notifications, early or late.
 * @example
 * const tracker = createOperationTracker();
 * const handle = createNotificationHandler({ appId: "your-bot-app-id", onNotification: tracker.handle });
 * const operation = await client.cancelMediaProcessing(callId); // the client's OperationRef
 * const done = await tracker.wait(operation, { timeoutMs: 10_000 }); // or throws OperationFailedError
 */
export function createOperationTracker(input: OperationTrackerOptions = {}): OperationTracker {
  const options = checkRecord("options", input, [
    "store",
    "timeoutMs",
    "ttlMs",
    "maxEntries",
    "maxBytes",
    "telemetry",
  ]) as OperationTrackerOptions;
  const telemetry = checkTelemetry("options.telemetry", options.telemetry);
  const defaultTimeoutMs = readTimeout("options.timeoutMs", options.timeoutMs, 30_000);
  if (
    options.store !== undefined &&
    (typeof options.store?.add !== "function" || typeof options.store.get !== "function")
  ) {
    fail("options.store", "must be an OperationStore (add and get methods)");
  }
  const ownStore = options.store === undefined;
  const store =
    options.store ??
    createMemoryOperationStore({
      ...(options.ttlMs === undefined ? {} : { ttlMs: options.ttlMs }),
      ...(options.maxEntries === undefined ? {} : { maxEntries: options.maxEntries }),
      ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
    });
  const waiters = new Map<string, Set<Waiter>>();
  let waiting = 0;
  let closed = false;
  // Subscribed to a shared store only while something waits, so a dropped tracker leaves no listener behind.
  let unsubscribe: (() => void) | undefined;
  const listener: OperationStoreListener = {
    added(key) {
      const pending = waiters.get(key);
      if (pending) lookUp(key, pending);
    },
    resync() {
      for (const [key, pending] of waiters) lookUp(key, pending);
    },
  };

  /** Settles `pending` with what the store holds under `key`, if anything. */
  function lookUp(key: string, pending: Iterable<Waiter>): void {
    Promise.resolve()
      .then(() => store.get(key))
      .then(
        (found) => {
          if (found) for (const waiter of pending) waiter.settle(found);
        },
        (error: unknown) => {
          // A shared store that is down says `resync` when it is back: the waits go on until then.
          if (unsubscribe && error instanceof StoreUnavailableError) return;
          for (const waiter of pending) waiter.fail(error);
        },
      );
  }

  function handle(notification: ParsedNotification): Promise<HandleResult> {
    if (closed) return Promise.reject(new TrackerClosedError());
    if (!isFinalOperation(notification)) return answers.ignored;
    // Plain promise code, not async/await: this runs once per notification and the store is usually synchronous.
    try {
      const key = operationKey(notification.callId, notification.operationId);
      const added = store.add(key, notification);
      if (typeof added === "boolean") return answers[deliver(key, notification, added)];
      return Promise.resolve(added).then((wasAdded) => deliver(key, notification, wasAdded));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  function deliver(key: string, notification: OperationNotification, added: boolean): HandleResult {
    if (!added) return "duplicate";
    const pending = waiters.get(key);
    if (!pending) return "stored";
    for (const waiter of pending) waiter.settle(notification);
    return "delivered";
  }

  function wait(operation: WaitTarget, waitOptions: WaitOptions = {}): Promise<OperationOutcome> {
    return new Promise<OperationOutcome>((resolve, reject) => {
      const { key, callId, operationId } = readOperation(operation);
      const { signal, timeoutMs: given } = checkRecord("options", waitOptions, ["timeoutMs", "signal"]);
      const timeoutMs = readTimeout("options.timeoutMs", given as number | undefined, defaultTimeoutMs);
      if (signal !== undefined && !(signal instanceof AbortSignal))
        fail("options.signal", "must be an AbortSignal");
      signal?.throwIfAborted();
      if (closed) throw new TrackerClosedError({ callId, operationId });
      const answer = finalAnswer(operation, callId, operationId);
      if (answer) return settleWith(answer, resolve, reject);
      let settled = false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const finish = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        const set = waiters.get(key);
        set?.delete(waiter);
        if (set?.size === 0) waiters.delete(key);
        if (waiters.size === 0) {
          unsubscribe?.();
          unsubscribe = undefined;
        }
        waiting--;
        outcome();
      };
      const waiter: Waiter = {
        settle: (outcome) => finish(() => settleWith(outcome, resolve, reject)),
        fail: (error) => finish(() => reject(error)),
        ids: { callId, operationId },
      };
      const onAbort = () => finish(() => reject(signal?.reason));
      if (waiters.size === 0) unsubscribe = store.subscribe?.(listener);
      waiting++;
      const set = waiters.get(key) ?? new Set<Waiter>();
      set.add(waiter);
      waiters.set(key, set);
      signal?.addEventListener("abort", onAbort, { once: true });
      if (timeoutMs !== Number.POSITIVE_INFINITY) {
        timer = setTimeout(
          () => finish(() => reject(new OperationTimeoutError(callId, operationId, timeoutMs))),
          timeoutMs,
        );
      }
      // Registered first, then looked up, so a notification recorded in between finds the waiter.
      lookUp(key, [waiter]);
    });
  }

  async function close(): Promise<void> {
    if (closed) return;
    closed = true;
    // Each fail() removes its waiter (and unsubscribes after the last): iterate over a copy.
    for (const pending of [...waiters.values()]) {
      for (const waiter of [...pending]) waiter.fail(new TrackerClosedError(waiter.ids));
    }
    unsubscribe?.();
    unsubscribe = undefined;
    if (ownStore) await (store as MemoryOperationStore).close();
  }

  return {
    ...(telemetry ? measured({ handle, wait }, telemetry) : { handle, wait }),
    close,
    get waiting() {
      return waiting;
    },
  };
}

/** Resolves with a `completed` outcome, rejects with {@link OperationFailedError} for any other. */
function settleWith(
  outcome: OperationOutcome,
  resolve: (outcome: OperationOutcome) => void,
  reject: (error: unknown) => void,
): void {
  if (outcome.status === "completed") resolve(outcome);
  else reject(new OperationFailedError(outcome));
}

/** The outcome an action's answer already gave (`completed` or `failed`), or `undefined` when it is not final. */
function finalAnswer(target: WaitTarget, callId: string, operationId: string): OperationAnswer | undefined {
  if (typeof target.httpStatus !== "number") return undefined;
  const body = typeOf(target.operation) === "object" ? (target.operation as CommsOperation) : undefined;
  const status = normalizeOperationStatus(target.status ?? body?.status);
  if (status !== "completed" && status !== "failed") return undefined;
  const base = { kind: "answer" as const, callId, operationId, httpStatus: target.httpStatus };
  const answer: OperationAnswer = body
    ? { ...readOperationFields(base, body), operation: body }
    : { ...base, cancelled: false };
  answer.status = status;
  return answer;
}

function readOperation(operation: OperationIds): { key: string; callId: string; operationId: string } {
  const { callId, operationId } = (operation ?? {}) as Partial<OperationIds>;
  if (
    typeof callId !== "string" ||
    callId.trim() === "" ||
    typeof operationId !== "string" ||
    operationId.trim() === ""
  ) {
    fail(
      "operation",
      "must have non-empty string callId and operationId (the client's OperationRef has them)",
    );
  }
  const normalised = { callId: normalizeId(callId), operationId: normalizeId(operationId) };
  return { key: operationKey(normalised.callId, normalised.operationId), ...normalised };
}

/** A wait's time limit, as every API of the kit reads `timeoutMs`: Infinity, or more than a timer holds, is no limit. */
function readTimeout(argument: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  return checkTimeout(argument, value) ?? Number.POSITIVE_INFINITY;
}
