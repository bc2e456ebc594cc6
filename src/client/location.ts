import { defaultServerUrls } from "../../generated/constraints.ts";
import { normalizeId } from "../core/operation-id.ts";
import { type OperationPath, parseOperationPath } from "../core/operation-path.ts";
import { LocationError } from "./errors.ts";

/** Where an operation is: its absolute URI and its normalised ids. */
export interface OperationLocation extends OperationPath {
  location: string;
}

const graphServers = Object.values(defaultServerUrls);

/**
 * Reads the operation from a `Location` header. A relative reference is resolved against the
 * request URL (as HTTP allows). Throws {@link LocationError} when the header is missing, is not
 * an http(s) URL, has a path that is not `…/calls/{callId}/operations/{operationId}`, names
 * another call than the one requested, carries credentials, or is on another origin than the
 * request's or one of the spec's Graph servers (a mock or a proxy in front of Graph passes on
 * Graph's own Location): the ids and URI go to the caller, who must not be handed another call's
 * operation nor pointed at a server that neither they nor Graph named.
 *
 * @example
 * parseLocation("https://graph.microsoft.com/beta/app/calls/57dab8b1-894c-409a-b240-bd8beae78896/operations/0FE0623FD62842EDB4BD8AC290072CC5", requestUrl, 202, "57dab8b1-894c-409a-b240-bd8beae78896");
 * // { location: "https://graph.microsoft.com/beta/app/calls/…", callId: "57dab8b1-…", operationId: "0fe0623f-d628-42ed-b4bd-8ac290072cc5" }
 */
export function parseLocation(
  header: string | null,
  requestUrl: string,
  status: number,
  callId: string,
): OperationLocation {
  const value = header?.trim();
  if (!value) throw new LocationError(status, undefined, "sent no Location header");
  let url: URL | undefined;
  try {
    url = new URL(value, requestUrl);
  } catch {
    // not a URL: reported below
  }
  const ids = url && /^https?:$/.test(url.protocol) ? parseOperationPath(url.pathname) : undefined;
  const problem =
    !url || !ids
      ? "names no operation"
      : ids.callId !== normalizeId(callId)
        ? `names another call than ${callId}`
        : url.username ||
            url.password ||
            ![requestUrl, ...graphServers].some((u) => u.startsWith(`${url.origin}/`))
          ? "carries credentials or is on another origin than the request's or Graph's"
          : "";
  if (problem) throw new LocationError(status, header as string, `its Location "${header}" ${problem}`);
  return { location: (url as URL).href, ...(ids as OperationPath) };
}

/**
 * The operation `operationId` of the call the request named, for a `200` whose body gives the
 * operation's `id` but no `Location` header came: its URI is built under the request's call.
 *
 * @example
 * operationUnder("https://graph.microsoft.com/v1.0/communications/calls/c-1/cancelMediaProcessing", "c-1", "op-1");
 * // { location: "https://graph.microsoft.com/v1.0/communications/calls/c-1/operations/op-1", callId: "c-1", operationId: "op-1" }
 */
export function operationUnder(requestUrl: string, callId: string, operationId: string): OperationLocation {
  return {
    location: `${requestUrl.replace(/\/cancelMediaProcessing$/, "")}/operations/${encodeURIComponent(operationId)}`,
    callId: normalizeId(callId),
    operationId: normalizeId(operationId),
  };
}
