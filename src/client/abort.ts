import { TimeoutError } from "./errors.ts";

/**
 * A call's deadline: `signal` aborts with the caller's reason or a {@link TimeoutError}; its own listener, so a call
 * allocates no closures, and not `AbortSignal.any`, whose signals Node 20 keeps alive as long as the parent.
 */
export class Deadline extends AbortController {
  readonly #parent: AbortSignal | undefined;
  readonly #timer: ReturnType<typeof setTimeout>;

  constructor(parent: AbortSignal | undefined, timeoutMs: number) {
    super();
    this.#parent = parent;
    this.#timer = setTimeout(expire, timeoutMs, this, timeoutMs);
    parent?.addEventListener("abort", this);
  }

  /** The caller's signal aborted: abort the call with its reason. */
  handleEvent(): void {
    this.abort(this.#parent?.reason);
  }

  release(): void {
    clearTimeout(this.#timer);
    this.#parent?.removeEventListener("abort", this);
  }
}

function expire(deadline: Deadline, timeoutMs: number): void {
  deadline.abort(new TimeoutError(timeoutMs));
}

/** Settles like `promise`, or rejects with the signal's reason (after `onAbort`) as soon as it aborts. */
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

/** Waits `ms` milliseconds, or rejects with the signal's reason as soon as it aborts (clearing the timer). */
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
