import { operationStatuses } from "../../generated/constraints.ts";
import type { components } from "../../generated/schema.d.ts";

/** `notStarted | running | completed | failed`: the documented spelling graph-comms-kit hands out. */
export type OperationStatus = components["schemas"]["operationStatus"];

/**
 * A status as graph-comms-kit hands it out: one of the spec's members in camelCase, or a member Graph
 * added later (evolvable enums), as sent; such a status is never final.
 */
export type ReportedOperationStatus = OperationStatus | (string & {});

/** {@link normalizeOperationStatus}, keeping a string the spec does not list as sent (`undefined` for `null` or a non-string). */
export function readOperationStatus(value: unknown): ReportedOperationStatus | undefined {
  if (typeof value !== "string") return undefined;
  return normalizeOperationStatus(value) ?? value;
}

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

/** A PascalCase enum member in camelCase (`"Deleted"` to `"deleted"`), as Graph's docs spell it. */
export function lowerFirst(value: string): string {
  return value.charAt(0).toLowerCase() + value.slice(1);
}
