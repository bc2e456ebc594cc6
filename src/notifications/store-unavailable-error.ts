/**
 * The operation store could not be reached (for example, Redis is down). The notification handler
 * answers 503 with `Retry-After` when a callback fails with it, so Graph delivers the batch again,
 * and logs it once per outage rather than once per request.
 *
 * @example
 * async add(key, notification) {
 *   try { return await db.insertIfAbsent(key, notification); }
 *   catch (cause) { throw new StoreUnavailableError("the database is unreachable", { cause }); }
 * }
 */
export class StoreUnavailableError extends Error {
  override name = "StoreUnavailableError";

  /** @param message What could not be reached, and why. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}
