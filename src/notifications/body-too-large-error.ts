/**
 * A request body over the handler's limit. Raised while reading, as soon as the limit is passed,
 * so an oversized body is never buffered whole. The handler answers 413.
 *
 * @example
 * await readLimitedBytes(request, 1024).catch((e) => e instanceof BodyTooLargeError);
 */
export class BodyTooLargeError extends Error {
  override name = "BodyTooLargeError";
  /** The limit that was passed, in bytes. */
  readonly limitBytes: number;

  constructor(limitBytes: number) {
    super(`Request body is larger than ${limitBytes} bytes`);
    this.limitBytes = limitBytes;
  }
}
