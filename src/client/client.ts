import { createFinalURL } from "openapi-fetch";
import type {
  CallsPath,
  CancelMediaProcessingBody,
  DefaultCallsPath,
  OperationBody,
} from "../core/call-paths.ts";
import { checkRecord, checkTimeout, fail, typeOf } from "../core/check.ts";
import type { OperationIds } from "../core/operation-path.ts";
import { normalizeOperationStatus, type OperationStatus } from "../core/operation-status.ts";
import { Deadline } from "./abort.ts";
import { type CallsClientOptions, resolveOptions } from "./client-options.ts";
import { CallsClientError, NetworkError } from "./errors.ts";
import { graphErrorFromResponse, parseJson } from "./graph-error-from-response.ts";
import { operationUnder, parseLocation } from "./location.ts";
import { checkPathSegment } from "./path-segment.ts";
import { checkBody } from "./request-body.ts";
import { discardBody, readBody } from "./response-body.ts";
import { send } from "./send.ts";

/** Options of one call. */
export interface CallOptions {
  /** Aborts the call, including any wait before a retry; the call rejects with the signal's reason. */
  signal?: AbortSignal;
  /**
   * This call's time limit in ms (all attempts and waits); `Infinity` for none.
   * @default the client's `timeoutMs`
   */
  timeoutMs?: number;
}

/**
 * The operation Graph created for a cancelMediaProcessing request: what to match its
 * `commsNotifications` against (by `callId` and `operationId`, both normalised with `normalizeId`).
 */
export interface OperationRef<P extends CallsPath = CallsPath> extends OperationIds {
  /** The call id, from `Location` (or the request, when Graph gave only an operation body), normalised. */
  callId: string;
  /** The operation id, from `Location` (or the operation body's `id`), normalised. */
  operationId: string;
  /** The operation's absolute URI (the `Location` header, resolved against the request URL). */
  location: string;
  /** The HTTP status Graph answered with: `202` (2018 contract) or `200` (`/communications/...`, present-day `/app/...`). */
  httpStatus: number;
  /** Graph's `request-id` response header, when present: quote it to Microsoft support. */
  requestId?: string;
  /**
   * The operation's status from a `200` body, in the documented camelCase spelling whatever casing
   * Graph sent (`"Completed"` reads `"completed"`); absent without a body, or for a `null` status.
   */
  status?: [OperationBody<P>] extends [never] ? never : OperationStatus;
  /** The operation itself, the `200` body (`/communications/...`, and `/app/...` on present-day beta), as received. */
  operation?: OperationBody<P>;
}

/** A client for one of the spec's cancelMediaProcessing paths; see {@link createCallsClient}. */
export interface CallsClient<P extends CallsPath = DefaultCallsPath> {
  /** The base URL requests go to (and the only place the token is sent), without a trailing slash. */
  readonly baseUrl: string;
  /** The spec path this client calls. */
  readonly path: P;
  /**
   * Cancels media processing (in-progress PlayPrompt and Record operations) on a call, and
   * returns the operation Graph created, to match its `commsNotifications` against. Throws
   * {@link GraphError} for an error status (after retrying 429/503/504), {@link LocationError} when
   * a success names no operation of this call, {@link NetworkError}, {@link ResponseTooLargeError}
   * for a body over 1 MiB, {@link TimeoutError}, {@link TokenError}, and {@link InvalidArgumentError}
   * (before sending anything) for a bad argument; an aborted call rejects with the signal's reason.
   */
  cancelMediaProcessing(
    callId: string,
    body?: CancelMediaProcessingBody<P>,
    options?: CallOptions,
  ): Promise<OperationRef<P>>;
}

/**
 * Creates a typed client for Graph's `cancelMediaProcessing` on one of the spec's paths; see
 * {@link CallsClientOptions} for the options and their defaults. Throws {@link InvalidArgumentError}
 * for a bad option.
 *
 * @example
 * import { createCallsClient } from "graph-comms-kit";
 *
 * const client = createCallsClient({ token: () => getAppToken() }); // Graph beta, /app/calls/{callId}
 * const op = await client.cancelMediaProcessing(callId, { all: true, clientContext: "ctx-1" });
 * console.log(op.callId, op.operationId, op.location);
 *
 * const current = createCallsClient({
 *   token: () => getAppToken(),
 *   baseUrl: "https://graph.microsoft.com/v1.0",
 *   path: "/communications/calls/{callId}/cancelMediaProcessing",
 * });
 * (await current.cancelMediaProcessing(callId, { clientContext: "ctx-2" })).status; // "completed"
 *
 * @see {@link https://learn.microsoft.com/graph/api/call-cancelmediaprocessing | call: cancelMediaProcessing}
 */
export function createCallsClient<P extends CallsPath = DefaultCallsPath>(
  options: CallsClientOptions<P>,
): CallsClient<P> {
  // The URL is built with openapi-fetch's `createFinalURL` (and our `pathSerializer`) rather than its
  // `createClient`, whose middleware, query and response machinery the one POST does not use and which
  // would put the client entry over its 5 kB (min+gzip) budget. The body is the checked fields as JSON
  // (what openapi-fetch's `defaultBodySerializer` does for an object).
  const config = resolveOptions(options);
  const { baseUrl, path, pathParams } = config;

  async function cancelMediaProcessing(
    callId: string,
    body?: CancelMediaProcessingBody<P>,
    callOptions?: CallOptions,
  ): Promise<OperationRef<P>> {
    checkPathSegment("callId", callId);
    const payload = JSON.stringify(checkBody(body, path));
    const [callerSignal, timeoutMs] =
      callOptions == null ? [undefined, config.timeoutMs] : checkCallOptions(callOptions, config.timeoutMs);
    const url = createFinalURL(path, {
      baseUrl,
      params: { path: { ...pathParams, callId } },
      pathSerializer,
      querySerializer: noQuery,
    });
    callerSignal?.throwIfAborted();
    // No timer, controller or listener unless a time limit is in effect.
    const deadline = timeoutMs === undefined ? undefined : new Deadline(callerSignal, timeoutMs);
    const signal = deadline?.signal ?? callerSignal;
    const call = config.telemetry?.clientCall(url, path);
    try {
      const [response, attempts] = await send(config, url, payload, signal);
      call?.response(response, attempts);
      const { ok, status } = response;
      // Only a 200's operation and an error's details are read; any other success's body is not used.
      let text = "";
      if (ok && status !== 200) discardBody(response);
      else text = await readBody(response, signal);
      if (!ok) throw graphErrorFromResponse(response, text, url, attempts);
      return operationRef<P>(response, text, url, callId);
    } catch (error) {
      // Every failure is one of the client's errors, or the signal's reason when the call was aborted.
      const failure = signal?.aborted
        ? signal.reason
        : error instanceof CallsClientError
          ? error
          : new NetworkError(url, error);
      call?.failed(failure);
      throw failure;
    } finally {
      deadline?.release();
      call?.end();
    }
  }

  return { baseUrl: config.baseUrl, path: config.path as P, cancelMediaProcessing };
}

function checkCallOptions(
  input: unknown,
  clientTimeoutMs: number | undefined,
): [AbortSignal | undefined, number | undefined] {
  const { signal, timeoutMs } = checkRecord("options", input, ["signal", "timeoutMs"]);
  if (signal !== undefined && !(signal instanceof AbortSignal))
    fail("options.signal", "must be an AbortSignal");
  return [signal, timeoutMs === undefined ? clientTimeoutMs : checkTimeout("options.timeoutMs", timeoutMs)];
}

function operationRef<P extends CallsPath>(
  response: Response,
  text: string,
  requestUrl: string,
  callId: string,
): OperationRef<P> {
  const { status, headers } = response;
  const json = status === 200 ? parseJson(text) : undefined;
  const operation = typeOf(json) === "object" ? (json as Record<string, unknown>) : undefined;
  const header = headers.get("location");
  const id = operation?.id;
  const ref: OperationRef =
    header === null && typeof id === "string" && id.trim()
      ? { ...operationUnder(requestUrl, callId, id), httpStatus: status }
      : { ...parseLocation(header, requestUrl, status, callId), httpStatus: status };
  const requestId = headers.get("request-id");
  if (requestId) ref.requestId = requestId;
  if (operation) {
    ref.operation = operation as NonNullable<OperationRef["operation"]>;
    // Graph may spell the status in PascalCase ("Completed"): hand out the documented spelling.
    const status = normalizeOperationStatus(operation.status);
    if (status !== undefined) ref.status = status as NonNullable<OperationRef["status"]>;
  }
  return ref as OperationRef<P>;
}

/**
 * Puts the percent-encoded path parameters into the path's `{name}` templates: what openapi-fetch's
 * `defaultPathSerializer` does for the `simple` style of the spec's string path parameters (a test
 * checks that the two agree). `defaultPathSerializer` itself brings openapi-fetch's array, object,
 * label and matrix serializers, 632 bytes of the client's 5 kB (min+gzip) for styles the spec never
 * uses: they paid for the response-body limits and the Location checks.
 */
export function pathSerializer(path: string, params: Record<string, unknown>): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] as string));
}

/** No query string: the spec's cancelMediaProcessing paths take no query parameters. */
function noQuery(): string {
  return "";
}
