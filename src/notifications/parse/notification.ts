import type { components } from "../../../generated/schema.d.ts";
import type { OperationStatus } from "../../core/operation-status.ts";

export type { OperationStatus };

/** A notification exactly as Graph sends it (`components.schemas.commsNotification`). */
export type CommsNotification = components["schemas"]["commsNotification"];
/** A batch of notifications exactly as Graph POSTs it (`components.schemas.commsNotifications`). */
export type CommsNotifications = components["schemas"]["commsNotifications"];
/** An operation as Graph describes it (`components.schemas.commsOperation`); subtypes may add properties. */
export type CommsOperation = components["schemas"]["commsOperation"] & { [property: string]: unknown };
/** `created | updated | deleted`, in the documented spelling whatever casing Graph sent. */
export type ChangeType = components["schemas"]["changeType"];
/** The resource data of a notification that is not about an operation: open, shaped by the resource. */
export type ResourceData = NonNullable<CommsNotification["resourceData"]>;

/** An operation's outcome from `resultInfo` (or 2018's `errorInfo`), normalised: `subcode`, integer codes, no nulls. */
export type ResultInfo = {
  [K in "code" | "subcode" | "message"]?: NonNullable<components["schemas"]["resultInfo"][K]>;
};

interface NotificationBase {
  /** What happened to the resource, in camelCase whatever casing Graph sent (`"Deleted"` reads `"deleted"`). */
  changeType: ChangeType;
  /** The changed resource's path, from `resourceUrl` (current) or else `resource` (2018). */
  resourceUrl: string;
  /** The notification's `@odata.type`, when Graph sent one. */
  odataType?: string;
  /** The notification as received, spellings and nulls untouched, for anything this summary leaves out. */
  raw: CommsNotification;
}

/** A notification about an operation (`…/calls/{callId}/operations/{operationId}`): what the tracker is fed. */
export interface OperationNotification extends NotificationBase {
  /** Which kind of notification this is: about an operation. */
  kind: "operation";
  /** The call id, normalised (lowercase dashed GUID when it is a GUID). */
  callId: string;
  /** The operation id, normalised (lowercase dashed GUID when it is a GUID). */
  operationId: string;
  /** The status in camelCase whatever casing Graph sent; `completed` and `failed` are final, absent is not. */
  status?: OperationStatus;
  /** The operation's `@odata.type`, such as `#microsoft.graph.recordOperation`, when present. */
  operationType?: string;
  /** The client context the operation was started with, when Graph echoed it (absent for `null`). */
  clientContext?: string;
  /** The outcome details, when Graph sent them (absent for `resultInfo: null`). */
  resultInfo?: ResultInfo;
  /** The operation as received (validated against `commsOperation`), spellings and nulls untouched. */
  operation: CommsOperation;
}

/** Any other notification of the call (call state, participants...), its resource data typed loosely. */
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
