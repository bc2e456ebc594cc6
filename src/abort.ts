import { TimeoutError } from "./errors/timeout-error.ts";

/** The signal one call runs under, and how to release its timer and listener afterwards. */
export interface CallSignal {
  signal: AbortSignal | undefined;
  dispose(): void;
}

const noSignal: CallSignal = { signal: undefined, dispose() {} };

/**
 * One signal for a call: aborted when the caller's `signal` aborts (with its reason) or when
 * `timeoutMs` passes (with a {@link TimeoutError}). Throws at once if the caller's signal is
 * already aborted. Uses `setTimeout`, so fake timers drive it in tests.
 *
 * @example
 * const call = callSignal(options.signal, 5_000);
 * try {
 *   await fetch(url, { signal: call.signal });
 * } finally {
 *   call.dispose();
 * }
 */
export function callSignal(signal: AbortSignal | undefined, timeoutMs: number | undefined): CallSignal {
  signal?.throwIfAborted();
  if (timeoutMs === undefined) return signal ? { signal, dispose() {} } : noSignal;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new TimeoutError(timeoutMs)), timeoutMs);
  const onAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener("abort", onAbort, { once: true });
  return {
    signal: controller.signal,
    dispose() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    },
  };
}

/**
 * Waits `ms` milliseconds, or rejects with the signal's reason as soon as it aborts.
 *
 * @example
 * await sleep(500, controller.signal);
 */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Settles like `promise`, or rejects with the signal's reason as soon as it aborts (the promise's
 * own outcome is then ignored). Without a signal, just `promise`.
 *
 * @example
 * const token = await untilAborted(getToken(), signal);
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
