import { clientContextMaxLength } from "../generated/constraints.ts";
import { type CallsPath, callsPaths } from "./call-paths.ts";
import { checkRecord, checkType, fail } from "./check.ts";

/**
 * Checks a request body against the path's contract before anything is sent (also for untyped
 * JavaScript callers) and returns a fresh copy holding only the fields given: `undefined` means
 * `{}`; `all` must be a boolean (2018 paths only); `clientContext` a string of at most the spec's
 * 256 characters; any other field is an error, as Graph would answer 400.
 *
 * @example
 * checkBody({ all: true, clientContext: "ctx-1" }, "/app/calls/{callId}/cancelMediaProcessing");
 * checkBody({ all: true }, "/communications/calls/{callId}/cancelMediaProcessing"); // throws: no `all` there
 */
export function checkBody(body: unknown, path: CallsPath): Record<string, unknown> {
  if (body === undefined) return {};
  const allowed = callsPaths[path];
  const fields = checkRecord("body", body, allowed, (key) => elsewhere(key, path));
  const { all, clientContext } = fields;
  const checked: Record<string, unknown> = {};
  if (all !== undefined) checked.all = checkType("body.all", all, "boolean");
  if (clientContext !== undefined) {
    const text = checkType<string>("body.clientContext", clientContext, "string");
    // JSON Schema's maxLength counts code points; at most that many UTF-16 units is always fine.
    const length = text.length > clientContextMaxLength ? [...text].length : 0;
    if (length > clientContextMaxLength) {
      fail("body.clientContext", `must be at most ${clientContextMaxLength} characters, got ${length}`);
    }
    checked.clientContext = text;
  }
  return checked;
}

/** For a field another path of the spec accepts (`all` on /communications), says where it belongs. */
function elsewhere(key: string, path: CallsPath): string {
  const paths = (Object.keys(callsPaths) as CallsPath[]).filter(
    (other) => other !== path && (callsPaths[other] as readonly string[]).includes(key),
  );
  return paths.length > 0 ? ` on this path (only on ${paths.join(", ")})` : "";
}
