import type { components } from "../../../generated/schema.d.ts";
import { CallsClientError } from "./calls-client-error.ts";

type MainError = components["schemas"]["mainError"];

/** What a {@link GraphError} is made of; see {@link graphErrorFromResponse}. */
export interface GraphErrorInit {
  status: number;
  code: string;
  message: string;
  url: string;
  attempts: number;
  body: unknown;
  mainError: MainError | undefined;
  requestId: string | undefined;
  clientRequestId: string | undefined;
  date: string | undefined;
  retryAfterMs: number | undefined;
}

/**
 * Graph answered with a status that is not a success (after any retries). Built from Graph's
 * OData error body when there is one; a body that is not JSON, or not in that shape, still gives
 * the status, a code derived from it, and the raw text in `body`.
 *
 * @example
 * try {
 *   await client.cancelMediaProcessing(callId);
 * } catch (error) {
 *   if (error instanceof GraphError && error.status === 404) console.log("the call has ended", error.requestId);
 * }
 */
export class GraphError extends CallsClientError {
  /** The HTTP status, such as `404` or `429`. */
  declare readonly status: number;
  /** Graph's `error.code` (such as `"NotFound"`), or `"HttpError<status>"` when the body has none. */
  declare readonly code: string;
  /** The URL the request was sent to. */
  declare readonly url: string;
  /** How many times the request was sent (more than 1 when 429/503/504 answers were retried). */
  declare readonly attempts: number;
  /** The response body: parsed JSON when it was JSON, else the text (`""` when empty). */
  declare readonly body: unknown;
  /** Graph's `error` object, when the body is in the OData error shape. */
  declare readonly mainError: MainError | undefined;
  /** `error.innerError["request-id"]`, else the `request-id` response header: quote it to Microsoft support. */
  declare readonly requestId: string | undefined;
  /** `error.innerError["client-request-id"]`, else the `client-request-id` response header. */
  declare readonly clientRequestId: string | undefined;
  /** `error.innerError.date`, else the `Date` response header. */
  declare readonly date: string | undefined;
  /** The `Retry-After` header in milliseconds (seconds or an HTTP date), when present and valid. */
  declare readonly retryAfterMs: number | undefined;

  constructor(init: GraphErrorInit) {
    super(init.message);
    Object.assign(this, init);
  }
}
