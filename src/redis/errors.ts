import { NotificationsError } from "../notifications/index.ts";

/**
 * A value under one of the store's keys (or an announcement on its channel) is not a notification
 * the store wrote: not JSON, not a final operation notification that passes the spec's checks, the
 * notification of another operation, or a key of another Redis type. The waiters of that operation
 * reject with it; nothing else is affected.
 *
 * @example
 * try { await tracker.wait(op); } catch (e) { if (e instanceof StoreValueError) console.error(e.key, e.message); }
 */
export class StoreValueError extends NotificationsError {
  /** Always `"StoreValueError"`, in minified bundles too. */
  override readonly name = "StoreValueError";
  /** The Redis key (prefix included) whose value was refused. */
  readonly key: string;

  /**
   * @param key The Redis key, prefix included.
   * @param problem What is wrong with its value, as the end of a sentence.
   */
  constructor(key: string, problem: string, options?: ErrorOptions) {
    super(`Redis key ${JSON.stringify(key)} ${problem}`, options);
    this.key = key;
  }
}
