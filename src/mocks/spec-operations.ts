import type { paths } from "../../generated/schema.d.ts";
import type { CallsPath } from "../core/call-paths.ts";
import {
  exampleNameOf,
  isSpecNode,
  resolveSpecRef,
  type SpecNode,
  specDocument,
  specExampleObject,
} from "../core/spec-document.ts";

export type { CallsPath };

/** A path of the spec: a cancelMediaProcessing path, or a media action's (`playPrompt`, `recordResponse`). */
export type SpecPath = keyof paths;

/**
 * Which contract an operation follows, named as the spec names its examples: `2018-beta` (the 2018
 * beta page: `/app/...` resources, the `all` flag) or `current` (`/communications/...`, 2019 onwards).
 */
export type Contract = "2018-beta" | "current";

/** What the mocks need to know about one operation of the spec, all read from `generated/openapi.json`. */
export interface SpecOperation {
  /** The path template, such as `/communications/calls/{callId}/cancelMediaProcessing`. */
  path: SpecPath;
  /** The spec's operationId, such as `cancelMediaProcessing`. */
  operationId: string;
  /** The server URLs the spec lists for this path (path-level servers first, else the global ones). */
  servers: string[];
  /** The contract this operation follows (the name of its request body's example). */
  contract: Contract;
  /** JSON pointer of the request body schema. */
  requestSchema: string;
  /** Name of the request body's example in `components.examples` (a valid request). */
  requestExample: string;
  /** Whether the spec requires a request body. */
  requestBodyRequired: boolean;
  /** The Graph action (`x-graph-action`, else the path's last segment), such as `cancelMediaProcessing`. */
  action: string;
  /** The success status (the lowest 2xx the spec lists). */
  successStatus: number;
  /** Every 2xx status the spec lists, lowest first (`/app` lists the present-day 200 and the 2018 202). */
  successStatuses: number[];
  /** JSON pointer of the success body schema, when the success response has a body. */
  successBodySchema: string | undefined;
  /** Name of the success body's example in `components.examples`, when there is one. */
  successBodyExample: string | undefined;
  /** The resource prefix before `/calls/...` in Location and notifications (`/app`, `/communications`). */
  resourcePrefix: string;
  /** Name of the `components.examples` entry holding this contract's notification batch. */
  notificationExample: string;
  /**
   * Whether the success answer's operation is already `completed` or `failed`: Graph sends no
   * notification after such an answer (commsOperation: "there won't be any subsequent operation
   * via the notification channel").
   */
  finalAnswer: boolean;
}

const jsonType = "application/json";

function schemaPointer(media: SpecNode): string {
  const schema = media.schema;
  if (isSpecNode(schema) && typeof schema.$ref === "string") return schema.$ref;
  throw new Error("spec: media types of this spec are expected to $ref a component schema");
}

function firstExampleName(media: SpecNode): string | undefined {
  const examples = media.examples;
  if (!isSpecNode(examples)) return undefined;
  const first = Object.values(examples)[0];
  return first === undefined ? undefined : exampleNameOf(first);
}

/** The webhook's example key of an action's notification per contract: cancel's is keyed by the contract alone. */
function notificationExampleKey(action: string, contract: Contract): string {
  if (action === "cancelMediaProcessing") return contract;
  const short = action === "recordResponse" ? "record" : action;
  return contract === "current"
    ? `current${short[0]?.toUpperCase()}${short.slice(1)}`
    : `${contract}-${short}`;
}

function notificationExampleName(action: string, contract: Contract): string {
  const webhook = resolveSpecRef(
    specDocument.webhooks && (specDocument.webhooks as SpecNode).commsNotifications,
  );
  const body = resolveSpecRef(resolveSpecRef(webhook.post).requestBody);
  const media = resolveSpecRef((body.content as SpecNode)[jsonType]);
  const examples = media.examples as SpecNode;
  const key = notificationExampleKey(action, contract);
  if (examples[key] === undefined)
    throw new Error(`spec: the commsNotifications webhook has no "${key}" example`);
  return exampleNameOf(examples[key]);
}

function resourcePrefixOf(notificationExample: string): string {
  const batch = specExampleObject(notificationExample);
  const first = (batch.value as SpecNode[])[0];
  const resource = first?.resourceUrl ?? first?.resource;
  if (typeof resource !== "string") throw new Error(`spec: example ${notificationExample} names no resource`);
  const at = resource.indexOf("/calls/");
  if (at < 0) throw new Error(`spec: example ${notificationExample} resource is not under /calls/`);
  return resource.slice(0, at);
}

function serverUrls(pathItem: SpecNode): string[] {
  const servers = (pathItem.servers ?? specDocument.servers) as SpecNode[];
  return servers.map((server) => String(server.url));
}

function readOperation(path: string, pathItem: SpecNode): SpecOperation {
  const post = resolveSpecRef(pathItem.post);
  const requestBody = resolveSpecRef(post.requestBody);
  const requestMedia = resolveSpecRef((requestBody.content as SpecNode)[jsonType]);
  const contract = requestExampleKey(requestMedia);
  if (contract !== "2018-beta" && contract !== "current") {
    throw new Error(`spec: ${path} request body example should be named "2018-beta" or "current"`);
  }
  const responses = post.responses as SpecNode;
  const successStatuses = Object.keys(responses)
    .filter((code) => /^2\d\d$/.test(code))
    .map(Number)
    .sort((a, b) => a - b);
  const successStatus = successStatuses[0];
  if (successStatus === undefined) throw new Error(`spec: ${path} has no 2xx response`);
  const success = resolveSpecRef(responses[String(successStatus)]);
  const successMedia = isSpecNode(success.content) ? success.content[jsonType] : undefined;
  const action =
    typeof post["x-graph-action"] === "string" ? post["x-graph-action"] : (path.split("/").at(-1) ?? "");
  const notificationExample = notificationExampleName(action, contract);
  const successBodyExample =
    successMedia === undefined ? undefined : firstExampleName(resolveSpecRef(successMedia));
  const answered =
    successBodyExample === undefined ? undefined : specExampleObject(successBodyExample).status;
  return {
    path: path as SpecPath,
    operationId: String(post.operationId),
    action,
    servers: serverUrls(pathItem),
    contract,
    requestSchema: schemaPointer(requestMedia),
    requestExample: exampleNameOf((requestMedia.examples as SpecNode)[contract]),
    requestBodyRequired: requestBody.required === true,
    successStatus,
    successStatuses,
    successBodySchema: successMedia === undefined ? undefined : schemaPointer(resolveSpecRef(successMedia)),
    successBodyExample,
    resourcePrefix: resourcePrefixOf(notificationExample),
    notificationExample,
    finalAnswer: answered === "completed" || answered === "failed",
  };
}

function requestExampleKey(media: SpecNode): string | undefined {
  return isSpecNode(media.examples) ? Object.keys(media.examples)[0] : undefined;
}

let cached: SpecOperation[] | undefined;

/** Every `POST` operation of the bundled spec (cancelMediaProcessing, playPrompt, recordResponse), read once. */
export function specOperations(): readonly SpecOperation[] {
  cached ??= Object.entries(specDocument.paths as SpecNode)
    .filter(([, item]) => isSpecNode(item) && isSpecNode(item.post))
    .map(([path, item]) => readOperation(path, item as SpecNode));
  return cached;
}

/** The operation of the spec at a path template. */
export function specOperation(path: SpecPath): SpecOperation {
  const found = specOperations().find((op) => op.path === path);
  if (!found) throw new Error(`spec: no POST operation at ${path}`);
  return found;
}

/** The namespace a Graph action may be qualified with in a URL (`…/microsoft.graph.playPrompt`). */
export const actionNamespace = "microsoft.graph.";

/**
 * A path with its action segment namespace-qualified, as some Microsoft SDK generations send it
 * (`…/calls/{callId}/microsoft.graph.cancelMediaProcessing`); Graph serves both forms.
 */
export function qualifiedPath(path: string): string {
  const at = path.lastIndexOf("/");
  return `${path.slice(0, at + 1)}${actionNamespace}${path.slice(at + 1)}`;
}
