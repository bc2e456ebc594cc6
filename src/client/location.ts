import { defaultServerUrls } from "../../generated/constraints.ts";
import { callBaseOf } from "../core/actions.ts";
import { normalizeId } from "../core/operation-id.ts";
import { type OperationIds, parseOperationPath } from "../core/operation-path.ts";
import { LocationError } from "./errors.ts";

const graphServers = Object.values(defaultServerUrls);

/**
 * Reads the operation from a `Location` header. A relative reference is resolved against the
 * request URL (as HTTP allows). Throws {@link LocationError} when the header is missing, is not
 * an http(s) URL, has a path that is not `…/calls/{callId}/operations/{operationId}`, names
 * another call than the one requested, carries credentials, or is on another origin than the
 * request's or one of the spec's Graph servers (a mock or a proxy in front of Graph passes on
 * Graph's own Location): the ids and URI go to the caller, who must not be handed another call's
 * operation nor pointed at a server that neither they nor Graph named.
 */
export function parseLocation(
  header: string | null,
  requestUrl: string,
  status: number,
  callId: string,
): OperationIds & { location: string } {
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
  return { location: (url as URL).href, ...(ids as OperationIds) };
}

/**
 * The operation `operationId` of the call the request named, for a `200` whose body gives the
 * operation's `id` but no `Location` header came: its URI is built under the request's call.
 */
export function operationUnder(
  requestUrl: string,
  callId: string,
  operationId: string,
): OperationIds & { location: string } {
  return {
    location: `${callBaseOf(requestUrl)}/operations/${encodeURIComponent(operationId)}`,
    callId: normalizeId(callId),
    operationId: normalizeId(operationId),
  };
}
