import type { components } from "../../../generated/schema.d.ts";
import { isGuid, normalizeId } from "../../core/operation-id.ts";
import type { RejectionReason } from "./rejections.ts";

type OdataError = components["schemas"]["odataError"];

/**
 * What the receiver answers, before a server turns it into bytes: the Fetch path makes a `Response`
 * of it ({@link toResponse}), the Node path writes it to a `ServerResponse` directly. One value for
 * both keeps every status, header and message identical on the two paths.
 */
export interface ReceiverAnswer {
  /** The HTTP status. */
  status: number;
  /** Extra response headers (`allow`, `www-authenticate`, `retry-after`). */
  headers?: Record<string, string>;
  /** Graph's error body, sent as JSON; absent for a `202`. */
  error?: OdataError;
  /** Why the request was refused; absent for a `202`. */
  reason?: RejectionReason;
  /** How many notifications the batch had, once it was read and valid (for telemetry). */
  count?: number;
}

/** An answer in Graph's error shape (`components.schemas.odataError`), with a fresh request id. */
export function graphError(
  status: number,
  code: string,
  message: string,
  headers?: Record<string, string>,
): ReceiverAnswer {
  const error: OdataError = {
    error: {
      code,
      message,
      innerError: { "request-id": crypto.randomUUID(), date: new Date().toISOString().slice(0, 19) },
    },
  };
  return headers === undefined ? { status, error } : { status, headers, error };
}

/** The answer as a Fetch-API `Response`. */
export function toResponse(answer: ReceiverAnswer): Response {
  const init = answer.headers === undefined ? { status: answer.status } : answer;
  return answer.error === undefined ? new Response(null, init) : Response.json(answer.error, init);
}

/** The ids a request names itself by, echoed in its answer. */
export interface RequestIds {
  readonly "client-request-id"?: string;
  readonly "scenario-id"?: string;
}

/**
 * The `client-request-id` and `scenario-id` of a request, when it carries GUIDs there, as Microsoft's
 * Graph Communications SDK reads them to echo (`CommunicationsClientExtensions.CreateResponse`);
 * `undefined` when it carries neither.
 */
export function requestIds(incoming: {
  header(name: "client-request-id" | "scenario-id"): string | null;
}): RequestIds | undefined {
  const requestId = incoming.header("client-request-id");
  const scenarioId = incoming.header("scenario-id");
  if (requestId === null && scenarioId === null) return undefined;
  const ids: { "client-request-id"?: string; "scenario-id"?: string } = {};
  if (requestId !== null && isGuid(requestId)) ids["client-request-id"] = normalizeId(requestId);
  if (scenarioId !== null && isGuid(scenarioId)) ids["scenario-id"] = normalizeId(scenarioId);
  return ids;
}

/** The answer with the request's ids among its headers. */
export function withIds(answer: ReceiverAnswer, ids: RequestIds): ReceiverAnswer {
  return { ...answer, headers: { ...answer.headers, ...ids } };
}
