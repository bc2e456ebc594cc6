import { dashedGuid, normalizeId } from "./operation-id.ts";
import { percentDecode } from "./percent-decode.ts";

/** A call's operation, as named by a `Location` header or a notification's resource path. */
export interface OperationIds {
  /** The call id, normalised ({@link normalizeId}). */
  callId: string;
  /** The operation id, normalised. */
  operationId: string;
}

const operationPath = /\/calls\/([^/?#]+)\/operations\/([^/?#]+)\/?(?:[?#].*)?$/;
/** Nearly every notification's path (both ids GUIDs, ending it): captured ids need no decoding or checks. */
const guidOperationPath =
  /\/calls\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-fA-F]{32})\/operations\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-fA-F]{32})\/?$/;

/**
 * The call id and operation id of an operation's path or URL (`…/calls/{callId}/operations/{operationId}`),
 * percent-decoded and normalised so every spelling gives equal results; `undefined` when it names none.
 *
 * @example
 * parseOperationPath("/app/calls/57DAB8B1894C409AB240BD8BEAE78896/operations/0FE0623FD62842EDB4BD8AC290072CC5");
 * // { callId: "57dab8b1-894c-409a-b240-bd8beae78896", operationId: "0fe0623f-d628-42ed-b4bd-8ac290072cc5" }
 */
export function parseOperationPath(pathOrUrl: string): OperationIds | undefined {
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

/** The call id a resource path or URL names (`…/calls/{callId}…`), normalised; `undefined` when none. */
export function parseCallId(pathOrUrl: string): string | undefined {
  const segment = callPath.exec(pathOrUrl)?.[1];
  return segment === undefined ? undefined : segmentId(segment);
}

/** A GUID `guidOperationPath` captured, canonical (36 characters) or as 32 hex digits. */
function canonical(guid: string): string {
  return guid.length === 36 ? guid : dashedGuid(guid);
}

/** A path segment as an id: percent-decoded and normalised; `undefined` when blank or badly encoded. */
function segmentId(segment: string): string | undefined {
  const decoded = percentDecode(segment);
  return decoded === undefined || decoded.trim() === "" ? undefined : normalizeId(decoded);
}
