import { checkType, fail } from "../core/check.ts";

/**
 * Checks a value that becomes one path segment (a call id, an app id): a non-empty string that
 * is not `.` or `..` (which URL parsing would turn into "go up a level") and that can be
 * percent-encoded (no lone surrogate). Encoding itself is done by openapi-fetch
 * (`encodeURIComponent`), so `/`, `?` and `#` inside an id never change the request path.
 */
export function checkPathSegment(argument: string, value: unknown): string {
  const segment = checkType<string>(argument, value, "string");
  if (segment.trim() === "") fail(argument, "must not be empty");
  if (segment === "." || segment === "..") fail(argument, `must not be "${segment}"`);
  try {
    encodeURIComponent(segment);
  } catch {
    fail(argument, "contains a lone surrogate");
  }
  return segment;
}
