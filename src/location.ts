import { LocationError } from "./errors/location-error.ts";
import { normalizeId } from "./operation-id.ts";
import { type OperationPath, parseOperationPath } from "./operation-path.ts";

/** Where an operation is: its absolute URI and its normalised ids. */
export interface OperationLocation extends OperationPath {
  location: string;
}

/**
 * Reads the operation from a `Location` header. A relative reference is resolved against the
 * request URL (as HTTP allows); a missing header, a value that is not an http(s) URL, or a path
 * that is not `…/calls/{callId}/operations/{operationId}` throws {@link LocationError}.
 *
 * @example
 * parseLocation("https://graph.microsoft.com/beta/app/calls/57dab8b1-894c-409a-b240-bd8beae78896/operations/0FE0623FD62842EDB4BD8AC290072CC5", requestUrl, 202);
 * // { location: "https://graph.microsoft.com/beta/app/calls/…", callId: "57dab8b1-…", operationId: "0fe0623f-d628-42ed-b4bd-8ac290072cc5" }
 */
export function parseLocation(header: string | null, requestUrl: string, status: number): OperationLocation {
  if (header === null || header.trim() === "") {
    throw new LocationError(
      status,
      undefined,
      "sent no Location header, so the operation it created is unknown",
    );
  }
  let url: URL;
  try {
    url = new URL(header.trim(), requestUrl);
  } catch {
    throw new LocationError(status, header, `its Location header is not a URL: ${JSON.stringify(header)}`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new LocationError(
      status,
      header,
      `its Location header is not an http(s) URL: ${JSON.stringify(header)}`,
    );
  }
  const ids = parseOperationPath(url.pathname);
  if (!ids) {
    throw new LocationError(
      status,
      header,
      `its Location header does not name an operation (…/calls/{callId}/operations/{operationId}): ${JSON.stringify(header)}`,
    );
  }
  return { location: url.href, ...ids };
}

/**
 * Reads the operation from a `200` body when Graph sent no `Location` header: its `@odata.id`
 * when that names an operation, else its `id` under the request's call. `undefined` when the
 * body names no operation either.
 *
 * @example
 * locationFromBody({ id: "0fe0623f-…", status: "completed" }, "https://graph.microsoft.com/v1.0/communications/calls/57dab8b1-…/cancelMediaProcessing", "57dab8b1-…");
 */
export function locationFromBody(
  body: unknown,
  requestUrl: string,
  callId: string,
): OperationLocation | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const odataId = (body as Record<string, unknown>)["@odata.id"];
  if (typeof odataId === "string") {
    try {
      return parseLocation(odataId, requestUrl, 200);
    } catch {
      // fall back to the id
    }
  }
  const id = (body as Record<string, unknown>).id;
  if (typeof id !== "string" || id.trim() === "") return undefined;
  const callUrl = requestUrl.replace(/\/cancelMediaProcessing$/, "");
  return {
    location: `${callUrl}/operations/${encodeURIComponent(id)}`,
    callId: normalizeId(callId),
    operationId: normalizeId(id),
  };
}
