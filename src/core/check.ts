import { InvalidArgumentError } from "./errors.ts";

/** Throws an {@link InvalidArgumentError} for `argument`. */
export function fail(argument: string, problem: string): never {
  throw new InvalidArgumentError(argument, problem);
}

/** A short description of a value's type for messages: `null`, `array`, `number`... */
export function typeOf(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
}

/** Checks that `value` has the type `type` as {@link typeOf} names it (`"object"` excludes null and arrays). */
export function checkType<T>(argument: string, value: unknown, type: string): T {
  if (typeOf(value) !== type)
    fail(argument, `must be ${type === "object" ? "an" : "a"} ${type}, got ${typeOf(value)}`);
  return value as T;
}

/**
 * Checks that `value` is a plain object with no keys but `allowed`, naming the nearest allowed key
 * for a misspelt one (`timeoutMS` → `timeoutMs`).
 */
export function checkRecord(
  argument: string,
  value: unknown,
  allowed: readonly string[],
  hint: (key: string) => string = () => "",
): Record<string, unknown> {
  const record = checkType<Record<string, unknown>>(argument, value, "object");
  for (const key of Object.keys(record)) {
    if (!allowed.includes(key)) {
      const near = nearestKey(key, allowed);
      fail(
        `${argument}.${key}`,
        `is not allowed${hint(key)}${near ? ` (did you mean "${near}"?)` : ""}; allowed: ${allowed.join(", ")}`,
      );
    }
  }
  return record;
}

/** Checks a number of milliseconds (or of attempts, with `integer`): finite and at least `min`. */
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

/** Checks a time limit in ms: at least 1; `Infinity` or more than a timer holds is `undefined`, no limit. */
export function checkTimeout(argument: string, value: unknown): number | undefined {
  if (value === Number.POSITIVE_INFINITY) return undefined;
  const ms = checkNumber(argument, value, 1);
  return ms > maxTimerMs ? undefined : ms;
}

/** The allowed key closest to a misspelt one (case ignored), within 1 edit under 4 characters, 2 under 8, else 3. */
function nearestKey(key: string, allowed: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  let best: string | undefined;
  let bestDistance = Math.min(4, 2 + (key.length >> 2));
  for (const candidate of allowed) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}

/** Levenshtein distance in one row; `leven` would put the client entry over its size budget. */
function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j] as number;
      row[j] = Math.min(up + 1, (row[j - 1] as number) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = up;
    }
  }
  return row[b.length] as number;
}
