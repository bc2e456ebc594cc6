/**
 * When and how long the client waits before sending a request again.
 *
 * Only `429 Too Many Requests`, `503 Service Unavailable` and `504 Gateway Timeout` are retried
 * (never another 4xx, never a network error: the request may already have reached Graph). The
 * wait is the response's `Retry-After` (seconds, possibly fractional, or an HTTP date) when it
 * has a valid one; otherwise exponential backoff with jitter: attempt n waits a random time
 * between half and all of `min(baseDelayMs * 2^(n-1), maxBackoffMs)`. A retry whose wait would
 * take the call's total waiting past `maxTotalDelayMs` is not made: the last response is the
 * result, and its `GraphError.retryAfterMs` tells the caller how long Graph asked to wait.
 */
export interface RetryOptions {
  /**
   * Most times one call sends its request, the first included; `1` turns retries off.
   * @default 3
   */
  maxAttempts?: number;
  /**
   * First backoff step without `Retry-After`, in ms.
   * @default 500
   */
  baseDelayMs?: number;
  /**
   * Largest single backoff without `Retry-After`, in ms.
   * @default 8000
   */
  maxBackoffMs?: number;
  /**
   * Most time one call spends waiting between attempts, in total, in ms.
   * @default 30000
   */
  maxTotalDelayMs?: number;
}

/** {@link RetryOptions} with every default filled in (internal: the public type spells it out). */
export type RetryPolicy = Required<RetryOptions>;

/** The defaults of {@link RetryOptions}. */
export const defaultRetryPolicy: Readonly<Required<RetryOptions>> = {
  maxAttempts: 3,
  baseDelayMs: 500,
  maxBackoffMs: 8_000,
  maxTotalDelayMs: 30_000,
};

/** Whether a response with this status may be retried (429, 503, 504). */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 503 || status === 504;
}

const seconds = /^\s*(\d+(?:\.\d+)?)\s*$/;

/**
 * A `Retry-After` header value in milliseconds: seconds (`"2"`, `"2.128"`) or an HTTP date
 * (a date in the past gives `0`); `undefined` when absent or unreadable.
 */
export function parseRetryAfter(
  value: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (!value) return undefined;
  const inSeconds = seconds.exec(value);
  if (inSeconds?.[1]) return Math.ceil(Number(inSeconds[1]) * 1000);
  if (!/[a-z]/i.test(value)) return undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The backoff before retry number `retry` (1 for the first retry) when Graph gave no
 * `Retry-After`: exponential, capped at `maxBackoffMs`, with "equal jitter" (between half and
 * all of the step) so that many clients throttled together do not retry together.
 */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const step = Math.min(policy.baseDelayMs * 2 ** (retry - 1), policy.maxBackoffMs);
  return Math.round(step / 2 + (step / 2) * random());
}
