import { InvalidArgumentError } from "./errors.ts";

/**
 * Throws an {@link InvalidArgumentError} for `argument`.
 *
 * @example
 * if (callId === "") fail("callId", "must not be empty");
 */
export function fail(argument: string, problem: string): never {
  throw new InvalidArgumentError(argument, problem);
}

/**
 * A short description of a value's type for messages: `null`, `array`, `number`...
 *
 * @example
 * typeOf([]); // "array"
 */
export function typeOf(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
}

/**
 * Checks that `value` has the type `type` as {@link typeOf} names it (so `"object"` excludes
 * `null` and arrays).
 *
 * @example
 * checkType("body.all", value, "boolean"); // throws "body.all must be a boolean, got string"
 */
export function checkType<T>(argument: string, value: unknown, type: string): T {
  if (typeOf(value) !== type)
    fail(argument, `must be ${type === "object" ? "an" : "a"} ${type}, got ${typeOf(value)}`);
  return value as T;
}

/**
 * Checks that `value` is a plain object (not null, not an array) with no keys but `allowed` (to
 * catch misspelt options and fields), and returns it.
 *
 * @example
 * checkRecord("options", { tokne: "x" }, ["token"]); // throws "options.tokne is not allowed; allowed: token"
 */
export function checkRecord(
  argument: string,
  value: unknown,
  allowed: readonly string[],
  hint: (key: string) => string = () => "",
): Record<string, unknown> {
  const record = checkType<Record<string, unknown>>(argument, value, "object");
  for (const key of Object.keys(record)) {
    if (!allowed.includes(key))
      fail(`${argument}.${key}`, `is not allowed${hint(key)}; allowed: ${allowed.join(", ")}`);
  }
  return record;
}

/**
 * Checks a number of milliseconds (or of attempts, with `integer`): finite and at least `min`.
 *
 * @example
 * checkNumber("options.retry.maxAttempts", 0, 1, true); // throws "... must be an integer >= 1, got 0"
 */
export function checkNumber(argument: string, value: unknown, min: number, integer = false): number {
  if (
    typeof value !== "number" ||
    !Number.isFinite(value) ||
    value < min ||
    (integer && !Number.isInteger(value))
  ) {
    fail(
      argument,
      `must be ${integer ? "an integer" : "a number"} >= ${min}, got ${typeof value === "number" ? value : typeOf(value)}`,
    );
  }
  return value;
}

/** The longest delay `setTimeout` can hold; a longer one fires at once. */
export const maxTimerMs = 2_147_483_647;

/**
 * Checks a time limit in ms: at least 1, or `Infinity` (returned as `undefined`: no limit). A
 * limit beyond what a timer can hold (2^31 - 1 ms, about 24.8 days) also means no limit.
 *
 * @example
 * checkTimeout("options.timeoutMs", 5000); // 5000
 */
export function checkTimeout(argument: string, value: unknown): number | undefined {
  if (value === Number.POSITIVE_INFINITY) return undefined;
  const ms = checkNumber(argument, value, 1);
  return ms > maxTimerMs ? undefined : ms;
}
