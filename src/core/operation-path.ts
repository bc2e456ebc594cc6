import { dashedGuid, normalizeId } from "./operation-id.ts";
import { percentDecode } from "./percent-decode.ts";

/** A call's operation, as named by a `Location` header or a notification's resource path. */
export interface OperationIds {
  /** The call id, normalised with {@link normalizeId}. */
  callId: string;
  /** The operation id, normalised with {@link normalizeId}. */
  operationId: string;
}

const operationPath = /\/calls\/([^/?#]+)\/operations\/([^/?#]+)\/?(?:[?#].*)?$/;
/**
 * The path of nearly every notification: both ids GUIDs, canonical or 32 hex digits (2018), ending
 * the path. Where it matches (and there is no query or fragment), it captures what `operationPath`
 * captures, already valid: no decoding, trimming or re-checking needed.
 */
const guidOperationPath =
  /\/calls\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-fA-F]{32})\/operations\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-fA-F]{32})\/?$/;

/**
 * Extracts the call id and operation id from an operation's path or URL
 * (`…/calls/{callId}/operations/{operationId}`), or returns `undefined` when it names no operation.
 * Ids are percent-decoded and normalised, so every spelling of the same operation gives equal results.
 *
 * @example
 * parseOperationPath("/app/calls/57DAB8B1894C409AB240BD8BEAE78896/operations/0FE0623FD62842EDB4BD8AC290072CC5");
 * // { callId: "57dab8b1-894c-409a-b240-bd8beae78896", operationId: "0fe0623f-d628-42ed-b4bd-8ac290072cc5" }
 */
export function parseOperationPath(pathOrUrl: string): OperationIds | undefined {
  // Most notifications that name no operation (call state, participants) are settled here, cheaply.
  if (!pathOrUrl.includes("/operations/")) return undefined;
  const guids = guidOperationPath.exec(pathOrUrl);
  // With a "?" or "#" the general pattern may match further left (the rest being the query).
  if (guids?.[1] && guids[2] && !pathOrUrl.includes("?") && !pathOrUrl.includes("#")) {
    return { callId: canonical(guids[1]), operationId: canonical(guids[2]) };
  }
  const match = operationPath.exec(pathOrUrl);
  if (!match?.[1] || !match[2]) return undefined;
  const callId = segmentId(match[1]);
  const operationId = segmentId(match[2]);
  if (callId === undefined || operationId === undefined) return undefined;
  return { callId, operationId };
}

const callPath = /\/calls\/([^/?#]+)/;

/**
 * The call id a resource path or URL names (`…/calls/{callId}…`, such as a call state change or a
 * participant list), percent-decoded and normalised like {@link parseOperationPath}'s, or
 * `undefined` when it names no call.
 */
export function parseCallId(pathOrUrl: string): string | undefined {
  const segment = callPath.exec(pathOrUrl)?.[1];
  return segment === undefined ? undefined : segmentId(segment);
}

/** A GUID as `guidOperationPath` captured it: canonical already (36 characters), or 32 hex digits. */
function canonical(guid: string): string {
  return guid.length === 36 ? guid : dashedGuid(guid);
}

/** A path segment as an id: percent-decoded and normalised; `undefined` when blank or badly encoded. */
function segmentId(segment: string): string | undefined {
  const decoded = percentDecode(segment);
  return decoded === undefined || decoded.trim() === "" ? undefined : normalizeId(decoded);
}
