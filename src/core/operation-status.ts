import { operationStatuses } from "../../generated/constraints.ts";
import type { components } from "../../generated/schema.d.ts";

/** `notStarted | running | completed | failed`: the documented spelling graph-comms-kit hands out. */
export type OperationStatus = components["schemas"]["operationStatus"];

/**
 * A status in the documented camelCase (Graph's metadata spells it PascalCase), or `undefined` for
 * `null`, none, or a value the spec does not list.
 */
export function normalizeOperationStatus(value: unknown): OperationStatus | undefined {
  if (typeof value !== "string") return undefined;
  const camel = lowerFirst(value) as OperationStatus;
  return operationStatuses.includes(camel) ? camel : undefined;
}

/** A PascalCase enum member in camelCase (`"Deleted"` to `"deleted"`), as Graph's docs spell it. */
export function lowerFirst(value: string): string {
  return value.charAt(0).toLowerCase() + value.slice(1);
}
