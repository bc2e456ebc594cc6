import { NotificationsError } from "../notifications/index.ts";

/**
 * A value under one of the store's keys (or on its channel) is not a notification the store wrote;
 * the waiters of that operation reject with it, nothing else is affected.
 *
 * @example
 * try { await tracker.wait(op); } catch (e) { if (e instanceof StoreValueError) console.error(e.key, e.message); }
 */
export class StoreValueError extends NotificationsError {
  override readonly name = "StoreValueError";
  /** The Redis key (prefix included) whose value was refused. */
  readonly key: string;

  /** `problem` ends the sentence "Redis key … ". */
  constructor(key: string, problem: string, options?: ErrorOptions) {
    super(`Redis key ${JSON.stringify(key)} ${problem}`, options);
    this.key = key;
  }
}
