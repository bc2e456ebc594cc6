/** How the client retries 429, 503 and 504 (never a network error, which may have reached Graph): `Retry-After`, else backoff with jitter. */
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

/** {@link RetryOptions} with every default filled in. */
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

/** A `Retry-After` value in ms (seconds or an HTTP date); `undefined` when absent or unreadable. */
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

/** The backoff before retry `retry` (from 1): exponential, capped, with equal jitter so throttled clients spread out. */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const step = Math.min(policy.baseDelayMs * 2 ** (retry - 1), policy.maxBackoffMs);
  return Math.round(step / 2 + (step / 2) * random());
}
