import type { BodyFieldRule } from "../../generated/constraints.ts";
import { type ActionPath, sameActionPaths } from "../core/actions.ts";
import { callsPaths } from "../core/call-paths.ts";
import { checkRecord, checkType, fail, typeOf } from "../core/check.ts";

/**
 * Checks a request body against the path's contract before anything is sent (also for untyped
 * JavaScript callers) and returns a fresh copy holding only the fields given: `undefined` means
 * `{}`; each field must be one the path's schema lists, of its JSON type, and within its
 * `maxLength` (`all` a boolean on the 2018 paths only, `clientContext` a string of at most 256
 * characters); any other field is an error, as Graph would answer 400.
 */
export function checkBody(body: unknown, path: ActionPath): Record<string, unknown> {
  if (body === undefined) return {};
  const rules: Readonly<Record<string, BodyFieldRule>> = callsPaths[path];
  const fields = checkRecord("body", body, Object.keys(rules), (key) => elsewhere(key, path));
  const checked: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (value !== undefined) checked[name] = checkField(`body.${name}`, value, rules[name] as BodyFieldRule);
  }
  return checked;
}

function checkField(argument: string, value: unknown, rule: BodyFieldRule): unknown {
  // Graph's metadata makes these fields nullable, and Microsoft's SDKs send `null` for "not set".
  if (value === null && rule.nullable) return null;
  if (rule.type === "integer") {
    if (!Number.isInteger(value)) fail(argument, `must be an integer, got ${typeOf(value)}`);
    return value;
  }
  checkType(argument, value, rule.type);
  const { maxLength } = rule;
  if (maxLength !== undefined && (value as string).length > maxLength) {
    // JSON Schema's maxLength counts code points; at most that many UTF-16 units is always fine.
    const length = [...(value as string)].length;
    if (length > maxLength) fail(argument, `must be at most ${maxLength} characters, got ${length}`);
  }
  return value;
}

/** For a field another path of the same action accepts (`all` on /communications), says where it belongs. */
function elsewhere(key: string, path: ActionPath): string {
  const paths = sameActionPaths(path).filter(
    (other) => other !== path && Object.hasOwn(callsPaths[other], key),
  );
  return paths.length > 0 ? ` on this path (only on ${paths.join(", ")})` : "";
}
