import { TimeoutError } from "./errors.ts";

/**
 * One signal for a call, and the function that releases its timer and listener afterwards: aborted
 * when the caller's `signal` aborts (with its reason) or when `timeoutMs` passes (with a
 * {@link TimeoutError}). Throws at once if the caller's signal is already aborted. The deadline
 * uses `setTimeout`, so fake timers drive it in tests; `AbortSignal.any` is not used, as Node 20
 * keeps every signal it makes alive as long as the caller's (often long-lived) signal.
 *
 * @example
 * const [signal, done] = callSignal(options.signal, 5_000);
 * try {
 *   await fetch(url, { signal });
 * } finally {
 *   done();
 * }
 */
export function callSignal(
  signal: AbortSignal | undefined,
  timeoutMs: number | undefined,
): [AbortSignal | undefined, () => void] {
  signal?.throwIfAborted();
  if (timeoutMs === undefined) return [signal, () => {}];
  const call = new AbortController();
  const timer = setTimeout(() => call.abort(new TimeoutError(timeoutMs)), timeoutMs);
  const onAbort = () => call.abort(signal?.reason);
  signal?.addEventListener("abort", onAbort);
  return [
    call.signal,
    () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    },
  ];
}

/**
 * Settles like `promise`, or rejects with the signal's reason as soon as it aborts (then calls
 * `onAbort`, and ignores the promise's own outcome). Without a signal, just `promise`.
 *
 * @example
 * const token = await untilAborted(getToken(), signal);
 */
export function untilAborted<T>(
  promise: Promise<T>,
  signal: AbortSignal | undefined,
  onAbort?: () => void,
): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const abort = () => {
      onAbort?.();
      reject(signal.reason);
    };
    if (signal.aborted) return abort();
    signal.addEventListener("abort", abort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", abort));
  });
}

/**
 * Waits `ms` milliseconds, or rejects with the signal's reason as soon as it aborts (clearing the timer).
 *
 * @example
 * await sleep(500, controller.signal);
 */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return untilAborted(
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
    signal,
    () => clearTimeout(timer),
  );
}
