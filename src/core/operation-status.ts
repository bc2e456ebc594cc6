import { operationStatuses } from "../../generated/constraints.ts";
import type { components } from "../../generated/schema.d.ts";

/** `notStarted | running | completed | failed`: the documented spelling graph-comms-kit hands out. */
export type OperationStatus = components["schemas"]["operationStatus"];

/**
 * An operation status in the documented camelCase spelling, whatever casing Graph sent
 * (`"Completed"` and `"completed"` are one status: Graph's metadata spells members in PascalCase,
 * its docs in camelCase), or `undefined` for `null`, a missing status or a value the spec does not
 * list.
 */
export function normalizeOperationStatus(value: unknown): OperationStatus | undefined {
  if (typeof value !== "string") return undefined;
  const camel = lowerFirst(value) as OperationStatus;
  return operationStatuses.includes(camel) ? camel : undefined;
}

/**
 * A PascalCase enum member in camelCase (`"Deleted"` to `"deleted"`): how Graph's metadata
 * spellings map onto its documented ones.
 */
export function lowerFirst(value: string): string {
  return value.charAt(0).toLowerCase() + value.slice(1);
}
