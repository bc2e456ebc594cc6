import type { components } from "../../../generated/schema.d.ts";
import { typeOf } from "../../core/check.ts";
import { readOperationStatus } from "../../core/operation-status.ts";
import type { CommsOperation, OperationFields, ResultInfo } from "./notification.ts";
import { normalizeResultInfo, type ResultInfoBody } from "./result-info.ts";

/**
 * The completion reasons that mean "cancelled": recordOperation's `operationCanceled` and
 * playPromptOperation's `mediaOperationCanceled` (beta resource pages, msgraph-metadata
 * `beta-enum-types.json`).
 */
const cancelReasons: ReadonlySet<string> = new Set<components["schemas"]["completionReason"]>([
  "operationCanceled",
  "mediaOperationCanceled",
]);

/** Graph's `resultInfo` for a cancelled operation: 400 / 8508, "the operation was cancelled" (cancelMediaProcessing pages). */
function isCancelResult(info: ResultInfo | undefined): boolean {
  return info?.code === 400 && info.subcode === 8508;
}

/**
 * Copies an operation's status, type, client context, outcome and completion reason into `target`,
 * normalised, leaving out what Graph did not send (or sent as `null`), and says whether it was
 * cancelled. `operation` may come unchecked from an answer's body, so every member is read by its type.
 */
export function readOperationFields<T extends Omit<OperationFields, "cancelled">>(
  target: T,
  operation: CommsOperation,
): T & { cancelled: boolean } {
  const status = readOperationStatus(operation.status);
  if (status !== undefined) target.status = status;
  const type = operation["@odata.type"];
  if (typeof type === "string") target.operationType = type;
  if (typeof operation.clientContext === "string") target.clientContext = operation.clientContext;
  const info = operation.resultInfo ?? operation.errorInfo;
  const resultInfo = typeOf(info) === "object" ? normalizeResultInfo(info as ResultInfoBody) : undefined;
  if (resultInfo !== undefined) target.resultInfo = resultInfo;
  const reason = operation.completionReason;
  if (typeof reason === "string") target.completionReason = reason;
  const cancelled = isCancelResult(resultInfo) || (typeof reason === "string" && cancelReasons.has(reason));
  return Object.assign(target, { cancelled });
}
