import type { components } from "../../../generated/schema.d.ts";
import type { OperationStatus, ReportedOperationStatus } from "../../core/operation-status.ts";

export type { OperationStatus, ReportedOperationStatus };

/** A notification exactly as Graph sends it (`components.schemas.commsNotification`). */
export type CommsNotification = components["schemas"]["commsNotification"];
/** A batch of notifications exactly as Graph POSTs it (`components.schemas.commsNotifications`). */
export type CommsNotifications = components["schemas"]["commsNotifications"];
/** An operation as Graph describes it (`components.schemas.commsOperation`); subtypes may add properties. */
export type CommsOperation = components["schemas"]["commsOperation"] & { [property: string]: unknown };
/** `created | updated | deleted`, in the documented spelling whatever casing Graph sent. */
export type ChangeType = components["schemas"]["changeType"];
/** Why a prompt or a recording ended, as the spec lists the reasons (`completionReason` of beta and 2018). */
export type CompletionReason = components["schemas"]["completionReason"];
/** The resource data of a notification that is not about an operation: open, shaped by the resource. */
export type ResourceData = NonNullable<CommsNotification["resourceData"]>;

/** An operation's outcome from `resultInfo` (or 2018's `errorInfo`), normalised: `subcode`, integer codes, no nulls. */
export type ResultInfo = {
  [K in "code" | "subcode" | "message"]?: NonNullable<components["schemas"]["resultInfo"][K]>;
};

interface NotificationBase {
  /**
   * What happened to the resource, in camelCase whatever casing Graph sent (`"Deleted"` reads
   * `"deleted"`); a value the spec does not list comes as sent.
   */
  changeType: ChangeType | (string & {});
  /** The changed resource's path, from `resourceUrl` (current) or else `resource` (2018). */
  resourceUrl: string;
  /** The notification's `@odata.type`, when Graph sent one. */
  odataType?: string;
  /** The notification as received, spellings and nulls untouched, for anything this summary leaves out. */
  raw: CommsNotification;
}

/** What Graph says about an operation, from a notification or from an action's final answer. */
export interface OperationFields {
  /** The call id, normalised (lowercase dashed GUID when it is a GUID). */
  callId: string;
  /** The operation id, normalised (lowercase dashed GUID when it is a GUID). */
  operationId: string;
  /**
   * The operation's status in camelCase whatever casing Graph sent (`"Completed"` reads `"completed"`);
   * `completed` and `failed` are final. Absent when Graph sent `null` or no status: not final. A
   * status the spec does not list (a member Graph added later) comes as sent, and is not final.
   */
  status?: ReportedOperationStatus;
  /** The operation's `@odata.type`, such as `#microsoft.graph.recordOperation`, when present. */
  operationType?: string;
  /** The client context the operation was started with, when Graph echoed it (absent for `null`). */
  clientContext?: string;
  /** The outcome details, when Graph sent them (absent for `resultInfo: null`). */
  resultInfo?: ResultInfo;
  /** Why a prompt or recording ended (`operationCanceled`, `stopToneDetected`...), when Graph said; a reason the spec does not list comes as sent. */
  completionReason?: CompletionReason | (string & {});
  /**
   * Whether the operation ended because it was cancelled (by cancelMediaProcessing, for example):
   * `resultInfo` 400 / subcode 8508, or `completionReason` `operationCanceled` / `mediaOperationCanceled`.
   * A cancelled recording reports `failed`, a cancelled prompt may report `completed`: check this,
   * not the status, to tell "cancelled as asked" from a failure.
   */
  cancelled: boolean;
}

/**
 * A notification about an operation (`…/calls/{callId}/operations/{operationId}`), such as the
 * outcome of `cancelMediaProcessing`, a prompt or a recording. These feed the operation tracker.
 */
export interface OperationNotification extends NotificationBase, OperationFields {
  /** Which kind of notification this is: about an operation. */
  kind: "operation";
  /** The operation as received (validated against `commsOperation`), spellings and nulls untouched. */
  operation: CommsOperation;
}

/**
 * An operation's end as an action's answer gave it (`200` with a `completed` or `failed` operation):
 * Graph sends no notification after such an answer, so the tracker settles from the answer itself.
 */
export interface OperationAnswer extends OperationFields {
  /** Which kind of outcome this is: read from the action's answer, not from a notification. */
  kind: "answer";
  /** The HTTP status of the answer (`200`). */
  httpStatus: number;
  /** The operation as the answer's body gave it, when there was a body. */
  operation?: CommsOperation;
}

/** How an operation ended: a final notification, or an action's final answer. Narrow on `kind`. */
export type OperationOutcome = OperationNotification | OperationAnswer;

/**
 * Any other notification of the call: call state, participants, tones... Valid and passed on,
 * with its resource data typed loosely because the spec has no schema for it.
 */
export interface ResourceNotification extends NotificationBase {
  /** Which kind of notification this is: about another resource of the call. */
  kind: "resource";
  /** The call id, normalised, when the resource path names a call (`…/calls/{callId}…`). */
  callId?: string;
  /** The resource data as received, when present (an object, or a list such as participants). */
  resourceData?: ResourceData;
}

/** One notification of a batch, parsed and normalised. Narrow on `kind`. */
export type ParsedNotification = OperationNotification | ResourceNotification;

/** Whether `notification` reports an operation's end (`completed` or `failed`): what the tracker stores. */
export function isFinalOperation(notification: ParsedNotification): notification is OperationNotification {
  return (
    notification.kind === "operation" &&
    (notification.status === "completed" || notification.status === "failed")
  );
}
