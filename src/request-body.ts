import { clientContextMaxLength } from "../generated/constraints.ts";
import { type CallsPath, callsPaths } from "./call-paths.ts";
import { isPlainObject, typeOf } from "./client-options.ts";
import { InvalidArgumentError } from "./errors/invalid-argument-error.ts";

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
  if (!isPlainObject(body)) throw new InvalidArgumentError("body", `must be an object, got ${typeOf(body)}`);
  const allowed: readonly string[] = callsPaths[path].bodyFields;
  const checked: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(body)) {
    if (!allowed.includes(field)) {
      const hint = field === "all" ? " (the current contract removed `all` in 2019)" : "";
      throw new InvalidArgumentError(
        `body.${field}`,
        `is not a field of ${path}${hint}; allowed: ${allowed.join(", ")}`,
      );
    }
    if (value === undefined) continue;
    if (field === "all" && typeof value !== "boolean") {
      throw new InvalidArgumentError("body.all", `must be a boolean, got ${typeOf(value)}`);
    }
    if (field === "clientContext") checkClientContext(value);
    checked[field] = value;
  }
  return checked;
}

function checkClientContext(value: unknown): void {
  if (typeof value !== "string") {
    throw new InvalidArgumentError("body.clientContext", `must be a string, got ${typeOf(value)}`);
  }
  // JSON Schema's maxLength counts code points; a string of at most that many UTF-16 units is always fine.
  if (value.length > clientContextMaxLength) {
    const length = [...value].length;
    if (length > clientContextMaxLength) {
      throw new InvalidArgumentError(
        "body.clientContext",
        `must be at most ${clientContextMaxLength} characters, got ${length}`,
      );
    }
  }
}
