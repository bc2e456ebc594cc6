import { checkRecord } from "../../core/check.ts";
import { parseOperationPath } from "../../core/operation-path.ts";
import {
  isSpecNode,
  resolveSpecRef,
  type SpecNode,
  specDocument,
  specExample,
} from "../../core/spec-document.ts";
import type { IssuedOperation } from "../issued-operation.ts";
import { mediaNotification } from "../media-notifications.ts";
import { isMediaAction } from "../media-queue.ts";
import { buildChecked } from "../notification-builder.ts";
import { specVersions } from "../served-bases.ts";
import { qualifiedPath, type SpecOperation, specOperations } from "../spec-operations.ts";
import {
  checkCallbackUrl,
  checkNotificationStatus,
  type PrismNotificationStatus,
} from "./callback-options.ts";

/** Options of {@link preparePrismSpec}. */
export interface PrismSpecOptions {
  /** Where Prism sends the commsNotifications callback: the bot's callback URL (no `{` or `}`). */
  callbackUrl: string;
  /**
   * The status every notification reports.
   * @default "completed"
   */
  notificationStatus?: PrismNotificationStatus;
}

const jsonType = "application/json";

/** The example value a header of a success response pins for a contract (`2018-beta`, `current`). */
function locationExample(response: SpecNode, contract: string): string {
  const headers = response.headers;
  const header = isSpecNode(headers) ? resolveSpecRef(headers.Location) : {};
  const example = isSpecNode(header.examples) ? header.examples[contract] : undefined;
  const value = resolveSpecRef(example).value;
  if (typeof value !== "string") throw new Error(`spec: no ${contract} Location example`);
  return value;
}

/**
 * The operation Prism's answer describes: the ids of the `Location` example it sends, and the
 * clientContext of the spec's notification example (the one its examples share).
 */
function exampleOperation(operation: SpecOperation, location: string): IssuedOperation {
  const ids = parseOperationPath(location);
  if (!ids) throw new Error(`spec: the Location example ${location} names no operation`);
  const batch = specExample(operation.notificationExample) as { value: { resourceData?: SpecNode }[] };
  const clientContext = batch.value[0]?.resourceData?.clientContext;
  return {
    path: operation.path,
    specOperationId: operation.operationId,
    contract: operation.contract,
    callId: ids.callId,
    operationId: ids.operationId,
    location,
    ...(typeof clientContext === "string" ? { clientContext } : {}),
    resourcePrefix: operation.resourcePrefix,
  };
}

/** The callback path item: the webhook's POST, with the one notification this operation sends. */
function callbackPathItem(notification: unknown, status: string): SpecNode {
  const webhook = resolveSpecRef((specDocument.webhooks as SpecNode).commsNotifications);
  const post = resolveSpecRef(webhook.post);
  const requestBody = resolveSpecRef(post.requestBody);
  const content = requestBody.content as SpecNode;
  const media = { ...resolveSpecRef(content[jsonType]), examples: { [status]: { value: notification } } };
  // The callback's security names a token Prism cannot produce; Prism would ignore it anyway.
  const { security: _unused, ...rest } = post;
  return { post: { ...rest, requestBody: { ...requestBody, content: { ...content, [jsonType]: media } } } };
}

function pinLocationExample(response: SpecNode, contract: string): SpecNode {
  if (!isSpecNode(response.headers)) return response;
  const headers: SpecNode = {};
  for (const [name, raw] of Object.entries(response.headers)) {
    const header = resolveSpecRef(raw);
    headers[name] =
      isSpecNode(header.examples) && header.examples[contract] !== undefined
        ? { ...header, examples: { [contract]: header.examples[contract] } }
        : raw;
  }
  return { ...response, headers };
}

/**
 * A copy of the bundled spec prepared for Prism's mock server, which cannot read the call's
 * `callbackUri`, picks a random example when there are several, and knows no API versions:
 * - each success response's `Location` keeps only its contract's example (`2018-beta` for `/app` and
 *   `/applications`, `current` for `/communications`);
 * - an operation whose answer is not final (`202`, or a `running` operation) keeps its
 *   `commsNotifications` callback, sent to `callbackUrl` with the one notification that tells the
 *   story of that answer: the operation of that `Location`, with `notificationStatus` (`completed` by
 *   default: the request succeeded), built by the same code as the MSW mock's `notify()`;
 * - an operation answered as final (`200` with a `completed` operation) loses its callback: Graph
 *   sends no notification after a final answer (commsOperation, "If for example, an operation with
 *   status of completed or failed is returned, there won't be any subsequent operation via the
 *   notification channel");
 * - every path is also listed under the version segments the spec's servers give it
 *   (`/beta/app/...`, `/beta/communications/...`, `/v1.0/communications/...`), because Graph puts
 *   the version first and Microsoft's Graph SDK always sends one.
 * - every path is also listed in its namespace-qualified form (`…/microsoft.graph.cancelMediaProcessing`),
 *   which some Microsoft SDK generations send and Graph serves.
 * The contract itself (`spec/openapi.yaml`) is unchanged. Known Prism 5.14 behaviour: callbacks go
 * without an `Authorization` header, and a callback fires even when Prism answered the request
 * with an error (400, 401).
 *
 * @example
 * import { writeFileSync } from "node:fs";
 * import { preparePrismSpec } from "graph-comms-kit/mocks/prism";
 *
 * writeFileSync("prism-spec.json", JSON.stringify(preparePrismSpec({ callbackUrl: "http://127.0.0.1:3978/api/calls" })));
 */
export function preparePrismSpec(options: PrismSpecOptions): Record<string, unknown> {
  checkRecord("options", options, ["callbackUrl", "notificationStatus"]);
  const callbackUrl = checkCallbackUrl(options.callbackUrl).href;
  const status = checkNotificationStatus(options.notificationStatus);
  const document = structuredClone(specDocument);
  const paths = document.paths as SpecNode;
  for (const operation of specOperations()) {
    const pathItem = paths[operation.path] as SpecNode;
    const post = { ...(pathItem.post as SpecNode) };
    const responses = { ...(post.responses as SpecNode) };
    const success = String(operation.successStatus);
    const response = pinLocationExample(resolveSpecRef(responses[success]), operation.contract);
    responses[success] = response;
    post.responses = responses;
    if (operation.finalAnswer) {
      delete post.callbacks;
    } else {
      const issued = exampleOperation(operation, locationExample(response, operation.contract));
      // A media operation that ran to its end is told as the spec's completed example of its action.
      const notification =
        status === "completed" && isMediaAction(operation.action)
          ? mediaNotification(issued, operation.action, "completed")
          : buildChecked(issued, { status });
      post.callbacks = { commsNotifications: { [callbackUrl]: callbackPathItem(notification, status) } };
    }
    paths[operation.path] = { ...pathItem, post };
  }
  for (const [version, served] of specVersions()) {
    for (const path of served) {
      const pathItem = paths[path] as SpecNode;
      const post = pathItem.post as SpecNode;
      // A path's servers would be prefixed to it again; operation ids must stay unique.
      const { servers: _servers, ...rest } = pathItem;
      paths[`${version}${path}`] = {
        ...rest,
        post: { ...post, operationId: `${post.operationId}_${version.slice(1)}` },
      };
    }
  }
  // Graph also serves each action namespace-qualified (`…/microsoft.graph.cancelMediaProcessing`).
  for (const [path, pathItem] of Object.entries(paths)) {
    const post = (pathItem as SpecNode).post as SpecNode;
    paths[qualifiedPath(path)] = {
      ...(pathItem as SpecNode),
      post: { ...post, operationId: `${post.operationId}_qualified` },
    };
  }
  const components = document.components as SpecNode;
  components.callbacks = {
    commsNotifications: { [callbackUrl]: { $ref: "#/webhooks/commsNotifications" } },
  };
  return document;
}
