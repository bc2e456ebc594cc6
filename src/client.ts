import createClient from "openapi-fetch";
import type { paths } from "../generated/schema.d.ts";
import { callSignal } from "./abort.ts";
import type { CallsPath, CancelMediaProcessingBody, DefaultCallsPath } from "./call-paths.ts";
import {
  type CallsClientOptions,
  checkTimeout,
  isPlainObject,
  resolveOptions,
  typeOf,
} from "./client-options.ts";
import { InvalidArgumentError } from "./errors/invalid-argument-error.ts";
import { graphErrorFromResponse } from "./graph-error-from-response.ts";
import { locationFromBody, type OperationLocation, parseLocation } from "./location.ts";
import type { OperationRef } from "./operation-ref.ts";
import { checkPathSegment } from "./path-segment.ts";
import { checkBody } from "./request-body.ts";
import { createSender, PlainRequest, type SendState } from "./send.ts";

/** Options of one call. */
export interface CallOptions {
  /** Aborts the call, including any wait before a retry; the call rejects with the signal's reason. */
  signal?: AbortSignal;
  /** This call's time limit in ms (all attempts and waits), instead of the client's `timeoutMs`. */
  timeoutMs?: number;
  /** Sent as `client-request-id`, which Graph echoes and logs: to trace one call end to end. */
  clientRequestId?: string;
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
   * a success names no operation, {@link NetworkError}, {@link TimeoutError}, {@link TokenError},
   * and {@link InvalidArgumentError} (before sending anything) for a bad argument.
   */
  cancelMediaProcessing(
    callId: string,
    body?: CancelMediaProcessingBody<P>,
    options?: CallOptions,
  ): Promise<OperationRef<P>>;
}

type LoosePost = (
  path: string,
  init: {
    params: { path: Record<string, string> };
    body: unknown;
    headers?: Record<string, string>;
    parseAs: "text";
    fetch: (request: PlainRequest) => Promise<Response>;
  },
) => Promise<{ data?: string; error?: unknown; response: Response }>;

/**
 * Creates a typed client for Graph's `cancelMediaProcessing`, built on openapi-fetch with the
 * spec's generated `paths`. Options are checked here (throwing {@link InvalidArgumentError}).
 *
 * @example
 * const client = createCallsClient({ token: () => getAppToken() }); // Graph beta, /app/calls/{callId}
 * const op = await client.cancelMediaProcessing(callId, { all: true, clientContext: "ctx-1" });
 * op.operationId; op.callId; op.location;
 *
 * const current = createCallsClient({
 *   token,
 *   baseUrl: "https://graph.microsoft.com/v1.0",
 *   path: "/communications/calls/{callId}/cancelMediaProcessing",
 * });
 * (await current.cancelMediaProcessing(callId, { clientContext: "ctx-2" })).status; // "completed"
 */
export function createCallsClient<P extends CallsPath = DefaultCallsPath>(
  options: CallsClientOptions<P>,
): CallsClient<P> {
  const config = resolveOptions(options);
  const openapi = createClient<paths>({
    baseUrl: config.baseUrl,
    Request: PlainRequest as unknown as typeof Request,
  });
  const post = openapi.POST as unknown as LoosePost;

  async function cancelMediaProcessing(
    callId: string,
    body?: CancelMediaProcessingBody<P>,
    callOptions?: CallOptions,
  ): Promise<OperationRef<P>> {
    checkPathSegment("callId", callId);
    const payload = checkBody(body, config.path);
    const { signal, timeoutMs, clientRequestId } = checkCallOptions(callOptions, config.timeoutMs);
    const call = callSignal(signal, timeoutMs);
    const state: SendState = { url: "", attempts: 0 };
    try {
      const { data, error, response } = await post(config.path, {
        params: { path: { ...config.pathParams, callId } },
        body: payload,
        ...(clientRequestId === undefined ? {} : { headers: { "client-request-id": clientRequestId } }),
        parseAs: "text",
        fetch: createSender(config, call.signal, state),
      });
      if (!response.ok) throw graphErrorFromResponse(response, error ?? "", state.url, state.attempts);
      return operationRef<P>(response, data, state.url, callId);
    } finally {
      call.dispose();
    }
  }

  return { baseUrl: config.baseUrl, path: config.path as P, cancelMediaProcessing };
}

function checkCallOptions(
  options: unknown,
  clientTimeoutMs: number | undefined,
): { signal: AbortSignal | undefined; timeoutMs: number | undefined; clientRequestId: string | undefined } {
  if (options === undefined)
    return { signal: undefined, timeoutMs: clientTimeoutMs, clientRequestId: undefined };
  if (!isPlainObject(options))
    throw new InvalidArgumentError("options", `must be an object, got ${typeOf(options)}`);
  for (const key of Object.keys(options)) {
    if (key !== "signal" && key !== "timeoutMs" && key !== "clientRequestId") {
      throw new InvalidArgumentError(`options.${key}`, "is not an option of cancelMediaProcessing");
    }
  }
  const { signal, timeoutMs, clientRequestId } = options;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new InvalidArgumentError("options.signal", `must be an AbortSignal, got ${typeOf(signal)}`);
  }
  if (
    clientRequestId !== undefined &&
    (typeof clientRequestId !== "string" || !/^[\x21-\x7e]+$/.test(clientRequestId))
  ) {
    throw new InvalidArgumentError(
      "options.clientRequestId",
      "must be a non-empty string of visible ASCII characters",
    );
  }
  return {
    signal,
    timeoutMs: timeoutMs === undefined ? clientTimeoutMs : checkTimeout("options.timeoutMs", timeoutMs),
    clientRequestId,
  };
}

function operationRef<P extends CallsPath>(
  response: Response,
  text: string | undefined,
  requestUrl: string,
  callId: string,
): OperationRef<P> {
  const status = response.status;
  const operation = status === 200 ? parseOperation(text) : undefined;
  const header = response.headers.get("location");
  let where: OperationLocation | undefined;
  if (header === null && operation !== undefined) where = locationFromBody(operation, requestUrl, callId);
  where ??= parseLocation(header, requestUrl, status);
  const ref: OperationRef = { ...where, httpStatus: status };
  const requestId = response.headers.get("request-id");
  if (requestId) ref.requestId = requestId;
  if (operation !== undefined) {
    ref.operation = operation as NonNullable<OperationRef["operation"]>;
    if (typeof operation.status === "string")
      ref.status = operation.status as NonNullable<OperationRef["status"]>;
  }
  return ref as OperationRef<P>;
}

/** The operation in a 200 body, or `undefined` when the body is empty or not a JSON object. */
function parseOperation(text: string | undefined): Record<string, unknown> | undefined {
  if (!text) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return isPlainObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
