import { fail } from "../core/check.ts";
import { normalizeId } from "../core/operation-id.ts";
import type { IssuedOperation } from "./issued-operation.ts";
import { mediaNotification } from "./media-notifications.ts";
import { isMediaAction } from "./media-queue.ts";
import { buildChecked, type CommsNotifications } from "./notification-builder.ts";
import { type Contract, specOperations } from "./spec-operations.ts";

/** The kinds of notification `graph-comms-mock trigger` sends. */
export const triggerKinds = ["completed", "failed", "cancelled", "unknown-status"] as const;

/** One kind of notification to send by hand. */
export type TriggerKind = (typeof triggerKinds)[number];

/** What a triggered notification is about. */
export interface TriggerTarget {
  /** The call id. */
  callId: string;
  /** The operation id. */
  operationId: string;
  /** The action that created the operation, such as `playPrompt`. */
  action: string;
  /** Which contract's notification shape to send. */
  contract: Contract;
}

/** Graph adds enum members behind this sentinel; a receiver must treat the status as not final. */
const unknownStatus = "unknownFutureValue";

/** The spec operation of an action and contract, as an operation the mock could have issued. */
function targetOperation(target: TriggerTarget): IssuedOperation {
  const spec = specOperations().find((op) => op.action === target.action && op.contract === target.contract);
  if (!spec) {
    const actions = [...new Set(specOperations().map((op) => op.action))];
    fail(
      "action",
      `must be an action of the spec (${actions.join(", ")}) on the ${target.contract} contract, got ${JSON.stringify(target.action)}`,
    );
  }
  const callId = normalizeId(target.callId);
  const operationId = normalizeId(target.operationId);
  return {
    path: spec.path,
    specOperationId: spec.operationId,
    contract: spec.contract,
    callId,
    operationId,
    location: `https://graph.microsoft.com${spec.resourcePrefix}/calls/${encodeURIComponent(callId)}/operations/${encodeURIComponent(operationId)}`,
    resourcePrefix: spec.resourcePrefix,
  };
}

/**
 * The batch of one hand-sent notification: `completed` (a media operation's completed example, or a
 * cancel operation completed), `cancelled` (a media operation cancelled by cancelMediaProcessing, as
 * Graph sends it), `failed` (a generic 500 outcome), or `unknown-status` (a status the spec does not
 * list yet, which a receiver must not take as final).
 */
export function triggerBatch(kind: TriggerKind, target: TriggerTarget): CommsNotifications {
  if (!triggerKinds.includes(kind)) {
    fail("kind", `must be one of ${triggerKinds.join(", ")}, got ${JSON.stringify(kind)}`);
  }
  const operation = targetOperation(target);
  const media = isMediaAction(target.action) ? target.action : undefined;
  switch (kind) {
    case "completed":
      return media
        ? mediaNotification(operation, media, "completed")
        : buildChecked(operation, { status: "completed" });
    case "cancelled":
      if (!media)
        fail("action", "a cancelled notification is about a playPrompt or recordResponse operation");
      return mediaNotification(operation, media, "cancelled");
    case "failed":
      return buildChecked(operation, {
        status: "failed",
        resultInfo: { code: 500, subcode: 0, message: "Action failed (sent by graph-comms-mock trigger)." },
      });
    case "unknown-status":
      return buildChecked(operation, { status: unknownStatus as "running" });
  }
}
