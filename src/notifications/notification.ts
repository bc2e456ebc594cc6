import type { components } from "../../generated/schema.d.ts";

/** A notification exactly as Graph sends it (`components.schemas.commsNotification`). */
export type CommsNotification = components["schemas"]["commsNotification"];
/** A batch of notifications exactly as Graph POSTs it (`components.schemas.commsNotifications`). */
export type CommsNotifications = components["schemas"]["commsNotifications"];
/** An operation as Graph describes it (`components.schemas.commsOperation`); subtypes may add properties. */
export type CommsOperation = components["schemas"]["commsOperation"] & { [property: string]: unknown };
/** `notStarted | running | completed | failed`. */
export type OperationStatus = components["schemas"]["operationStatus"];
/** `created | updated | deleted`. */
export type ChangeType = CommsNotification["changeType"];
/** The resource data of a notification that is not about an operation: open, shaped by the resource. */
export type ResourceData = NonNullable<CommsNotification["resourceData"]>;

/**
 * An operation's outcome, normalised from `resultInfo` (current) or `errorInfo` (2018): `subCode` is
 * read as `subcode`, and codes written as decimal strings (2018) become integers.
 */
export type ResultInfo = Pick<components["schemas"]["resultInfo"], "code" | "subcode" | "message">;

interface NotificationBase {
  /** What happened to the resource. */
  changeType: ChangeType;
  /** The changed resource's path, from `resourceUrl` (current) or else `resource` (2018). */
  resourceUrl: string;
  /** The notification's `@odata.type`, when Graph sent one. */
  odataType?: string;
  /** The notification as received, for anything this summary leaves out. */
  raw: CommsNotification;
}

/**
 * A notification about an operation (`…/calls/{callId}/operations/{operationId}`), such as the
 * outcome of `cancelMediaProcessing`, a prompt or a recording. These feed the operation tracker.
 */
export interface OperationNotification extends NotificationBase {
  kind: "operation";
  /** The call id, normalised (lowercase dashed GUID when it is a GUID). */
  callId: string;
  /** The operation id, normalised (lowercase dashed GUID when it is a GUID). */
  operationId: string;
  /** The operation's status; `completed` and `failed` are final. */
  status: OperationStatus;
  /** The operation's `@odata.type`, such as `#microsoft.graph.recordOperation`, when present. */
  operationType?: string;
  /** The client context the operation was started with, when Graph echoed it. */
  clientContext?: string;
  /** The outcome details, when Graph sent them. */
  resultInfo?: ResultInfo;
  /** The operation as received (validated against `commsOperation`). */
  operation: CommsOperation;
}

/**
 * Any other notification of the call: call state, participants, tones... Valid and passed on,
 * with its resource data typed loosely because the spec has no schema for it.
 */
export interface ResourceNotification extends NotificationBase {
  kind: "resource";
  /** The call id, normalised, when the resource path names a call (`…/calls/{callId}…`). */
  callId?: string;
  /** The resource data as received, when present (an object, or a list such as participants). */
  resourceData?: ResourceData;
}

/** One notification of a batch, parsed and normalised. Narrow on `kind`. */
export type ParsedNotification = OperationNotification | ResourceNotification;
