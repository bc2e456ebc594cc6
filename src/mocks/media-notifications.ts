import type { components } from "../../generated/schema.d.ts";
import { isSpecNode, type SpecNode, specExampleObject } from "../core/spec-document.ts";
import type { IssuedOperation } from "./issued-operation.ts";
import type { MediaAction } from "./media-queue.ts";
import { buildChecked, type CommsNotifications } from "./notification-builder.ts";
import { specOperation } from "./spec-operations.ts";

/**
 * The `completionReason` of a cancelled operation: recordOperation's `operationCanceled` is what the
 * docs print ("Operation canceled for recordResponse"); no page prints a cancelled playPrompt, and
 * beta's playPromptCompletionReason names `mediaOperationCanceled` for it.
 */
const cancelledReason: Record<MediaAction, components["schemas"]["completionReason"]> = {
  playPrompt: "mediaOperationCanceled",
  recordResponse: "operationCanceled",
};

/** Members of the example's operation that describe its outcome, not its identity. */
const identity = new Set(["@odata.id", "@odata.etag", "id", "clientContext", "status", "resultInfo"]);

/** The operation of the spec's notification example for the path that created `operation`. */
function exampleOperation(operation: IssuedOperation): SpecNode {
  const name = specOperation(operation.path).notificationExample;
  const first = (specExampleObject(name).value as SpecNode[])[0];
  if (!first || !isSpecNode(first.resourceData)) throw new Error(`spec: example ${name} has no operation`);
  return first.resourceData;
}

/** A recording URL like the example's, ending in a fresh id so that each recording has its own. */
function freshLocation(example: unknown): unknown {
  if (typeof example !== "string" || example === "") return example;
  return example.replace(/[^/]*$/, crypto.randomUUID());
}

/**
 * The notification Graph sends when a media operation ends: ran to its end (the spec's completed
 * example of that action and contract, such as a recording's `recordingLocation`), or cancelled by
 * cancelMediaProcessing (`failed`, the spec's 400 / 8508 "operation was cancelled" `resultInfo`, and
 * the cancelled `completionReason`; a recording's location and token empty, as the docs print).
 */
export function mediaNotification(
  operation: IssuedOperation,
  action: MediaAction,
  how: "completed" | "cancelled",
): CommsNotifications {
  const example = exampleOperation(operation);
  const members: SpecNode = {};
  for (const [key, value] of Object.entries(example)) if (!identity.has(key)) members[key] = value;
  if (how === "completed") {
    for (const key of ["recordingLocation", "recordResourceLocation"]) {
      if (key in members) members[key] = freshLocation(members[key]);
    }
    const resultInfo = isSpecNode(example.resultInfo) ? example.resultInfo : undefined;
    return buildChecked(
      operation,
      { status: "completed", ...(resultInfo ? { resultInfo: resultInfo as never } : {}) },
      members,
    );
  }
  for (const key of [
    "recordingLocation",
    "recordingAccessToken",
    "recordResourceLocation",
    "recordResourceAccessToken",
  ]) {
    if (key in members) members[key] = "";
  }
  members.completionReason = cancelledReason[action];
  return buildChecked(operation, { status: "failed" }, members);
}
