import type { components } from "../../generated/schema.d.ts";
import { checkRecord, fail } from "../core/check.ts";
import { isGuid, normalizeId } from "../core/operation-id.ts";
import { type SpecNode, specExampleObject } from "../core/spec-document.ts";
import type { IssuedOperation } from "./issued-operation.ts";
import { specOperation } from "./spec-operations.ts";

/** The `commsNotifications` batch Graph POSTs to a bot (the spec's schema; the mocks import no receiver code). */
export type CommsNotifications = components["schemas"]["commsNotifications"];

/** The outcome a notification reports: `running` (more will come), `completed` or `failed` (final). */
export type NotifiedStatus = Exclude<components["schemas"]["operationStatus"], "notStarted">;

/** How the notification spells the call and operation ids in its resource paths. */
export type IdSpelling = "notification" | "location";

/** What a notification says about the operation. */
export interface NotificationContent {
  status: NotifiedStatus;
  /**
   * The outcome details.
   * @default for `failed` the spec's example (`400` / `8508`, "the operation was cancelled"); for `running` and `completed` none
   */
  resultInfo?: components["schemas"]["resultInfo"];
  /**
   * The client context the notification echoes.
   * @default the `clientContext` of the request that created the operation (none when it had none)
   */
  clientContext?: string;
  /**
   * `notification`: ids as the 2018 beta example spells them (uppercase, no dashes); `location`: lowercase dashed.
   * @default "notification"
   */
  idSpelling?: IdSpelling;
}

const statuses: readonly NotifiedStatus[] = ["running", "completed", "failed"];

function spellId(id: string, spelling: IdSpelling): string {
  const canonical = normalizeId(id);
  if (spelling === "location" || !isGuid(canonical)) return encodeURIComponent(canonical);
  return canonical.replaceAll("-", "").toUpperCase();
}

function failedResultInfo(): components["schemas"]["resultInfo"] {
  // The spec's current notification example reports exactly this outcome: a cancelled operation.
  const batch = specExampleObject("currentNotification") as unknown as CommsNotifications;
  const data = batch.value[0]?.resourceData as SpecNode | undefined;
  return (data?.resultInfo ?? {}) as components["schemas"]["resultInfo"]; // specExampleObject gave a fresh copy
}

export const notificationContentKeys = ["status", "resultInfo", "clientContext", "idSpelling"] as const;

/** Checks what a notification says; `path` names the options in errors, `allowed` their keys. */
export function checkContent(
  content: NotificationContent,
  path = "content",
  allowed: readonly string[] = notificationContentKeys,
): void {
  checkRecord(path, content, allowed);
  if (!statuses.includes(content.status)) {
    fail(`${path}.status`, `must be one of ${statuses.join(", ")}, got ${JSON.stringify(content.status)}`);
  }
  if (content.clientContext !== undefined && typeof content.clientContext !== "string") {
    fail(`${path}.clientContext`, "must be a string");
  }
  if (
    content.resultInfo !== undefined &&
    (typeof content.resultInfo !== "object" || content.resultInfo === null)
  ) {
    fail(`${path}.resultInfo`, 'must be an object such as { code: 400, subcode: 8508, message: "..." }');
  }
  const spelling = content.idSpelling;
  if (spelling !== undefined && spelling !== "notification" && spelling !== "location") {
    fail(`${path}.idSpelling`, `must be "notification" or "location", got ${JSON.stringify(spelling)}`);
  }
}

/**
 * Builds the batch Graph would send about an issued operation, from the spec's notification example of its contract.
 * @example
 * const [issued] = graph.operations;
 * const batch = issued && buildCommsNotifications(issued, { status: "completed" });
 * batch?.value[0]?.resourceUrl; // "/communications/calls/57DAB8B1894C409AB240BD8BEAE78896/operations/0FE0623F..."
 */
export function buildCommsNotifications(
  operation: IssuedOperation,
  content: NotificationContent,
): CommsNotifications {
  checkContent(content);
  return buildChecked(operation, content);
}

/** {@link buildCommsNotifications} for content already checked. */
export function buildChecked(
  operation: IssuedOperation,
  content: NotificationContent,
  members: SpecNode = {},
): CommsNotifications {
  const spec = specOperation(operation.path);
  const batch = specExampleObject(spec.notificationExample) as unknown as CommsNotifications;
  const template = batch.value[0];
  if (!template) throw new Error(`spec: example ${spec.notificationExample} has no notification`);
  const spelling = content.idSpelling ?? "notification";
  const resourcePath = `${operation.resourcePrefix}/calls/${spellId(operation.callId, spelling)}/operations/${spellId(operation.operationId, spelling)}`;
  const exampleData = (template.resourceData ?? {}) as SpecNode;
  const data: SpecNode =
    spec.successBodyExample === undefined
      ? { ...exampleData }
      : {
          ...specExampleObject(spec.successBodyExample),
          "@odata.id": exampleData["@odata.id"],
          "@odata.etag": exampleData["@odata.etag"],
        };
  data["@odata.id"] = resourcePath;
  if ("id" in data) data.id = operation.operationId;
  data.status = content.status;
  const clientContext = "clientContext" in content ? content.clientContext : operation.clientContext;
  if (clientContext === undefined) delete data.clientContext;
  else data.clientContext = clientContext;
  const resultInfo = content.resultInfo ?? (content.status === "failed" ? failedResultInfo() : undefined);
  if (resultInfo === undefined) delete data.resultInfo;
  else data.resultInfo = resultInfo;
  Object.assign(data, members);
  template.resourceData = data;
  if ("resource" in template) template.resource = resourcePath;
  if ("resourceUrl" in template) template.resourceUrl = resourcePath;
  // Graph reports a running operation as updated; a finished one as gone (the examples' "deleted").
  if (content.status === "running") template.changeType = "updated";
  batch.value = [template];
  return batch;
}
