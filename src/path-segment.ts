import { InvalidArgumentError } from "./errors/invalid-argument-error.ts";

/**
 * Checks a value that becomes one path segment (a call id, an app id): a non-empty string that
 * is not `.` or `..` (which URL parsing would turn into "go up a level") and that can be
 * percent-encoded. Encoding itself is done by openapi-fetch (`encodeURIComponent`), so `/`, `?`
 * and `#` inside an id can never change the request path. Returns the value unchanged.
 *
 * @example
 * checkPathSegment("callId", "57dab8b1-894c-409a-b240-bd8beae78896"); // the same string
 * checkPathSegment("callId", ".."); // throws InvalidArgumentError
 */
export function checkPathSegment(argument: string, value: unknown): string {
  if (typeof value !== "string") {
    throw new InvalidArgumentError(
      argument,
      `must be a string, got ${value === null ? "null" : typeof value}`,
    );
  }
  if (value.trim() === "") throw new InvalidArgumentError(argument, "must not be empty");
  if (value === "." || value === "..")
    throw new InvalidArgumentError(argument, `must not be ${JSON.stringify(value)}`);
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(value)) {
    throw new InvalidArgumentError(argument, "contains a lone surrogate, which cannot be sent in a URL");
  }
  return value;
}
