import { CallsClientError } from "./calls-client-error.ts";

/**
 * The call took longer than its `timeoutMs`, counting every attempt and every wait between
 * retries. The request in flight is aborted and no further retry is made.
 *
 * @example
 * try {
 *   await client.cancelMediaProcessing(callId, {}, { timeoutMs: 5_000 });
 * } catch (error) {
 *   if (error instanceof TimeoutError) console.error(`gave up after ${error.timeoutMs} ms`);
 * }
 */
export class TimeoutError extends CallsClientError {
  /** The time limit that was exceeded, in milliseconds. */
  readonly timeoutMs: number;

  constructor(timeoutMs: number) {
    super(`cancelMediaProcessing timed out after ${timeoutMs} ms`);
    this.timeoutMs = timeoutMs;
  }
}
