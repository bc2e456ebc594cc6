import { typeOf } from "../../core/check.ts";
import { normalizeOperationStatus } from "../../core/operation-status.ts";
import type { CommsOperation, OperationFields } from "./notification.ts";
import { normalizeResultInfo, type ResultInfoBody } from "./result-info.ts";

/**
 * Copies an operation's status, type, client context and outcome into `target`, normalised, leaving
 * out what Graph did not send (or sent as `null`). `operation` may come unchecked from an answer's
 * body, so every member is read by its type.
 */
export function readOperationFields<T extends OperationFields>(target: T, operation: CommsOperation): T {
  const status = normalizeOperationStatus(operation.status);
  if (status !== undefined) target.status = status;
  const type = operation["@odata.type"];
  if (typeof type === "string") target.operationType = type;
  if (typeof operation.clientContext === "string") target.clientContext = operation.clientContext;
  const info = operation.resultInfo ?? operation.errorInfo;
  const resultInfo = typeOf(info) === "object" ? normalizeResultInfo(info as ResultInfoBody) : undefined;
  if (resultInfo !== undefined) target.resultInfo = resultInfo;
  return target;
}
