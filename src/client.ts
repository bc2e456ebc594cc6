import createClient from "openapi-fetch";
import type { paths } from "../generated/schema.d.ts";
import { callSignal } from "./abort.ts";
import type { CallsPath, CancelMediaProcessingBody, DefaultCallsPath } from "./call-paths.ts";
import { checkRecord, checkTimeout, fail } from "./check.ts";
import { type CallsClientOptions, resolveOptions } from "./client-options.ts";
import { graphErrorFromResponse } from "./graph-error-from-response.ts";
import { operationUnder, parseLocation } from "./location.ts";
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
    const { signal, timeoutMs } = checkCallOptions(callOptions, config.timeoutMs);
    const [callAbort, done] = callSignal(signal, timeoutMs);
    const state: SendState = { url: "", attempts: 0 };
    try {
      const { data, error, response } = await post(config.path, {
        params: { path: { ...config.pathParams, callId } },
        body: payload,
        parseAs: "text",
        fetch: createSender(config, callAbort, state),
      });
      if (!response.ok) throw graphErrorFromResponse(response, error ?? "", state.url, state.attempts);
      return operationRef<P>(response, data, state.url, callId);
    } finally {
      done();
    }
  }

  return { baseUrl: config.baseUrl, path: config.path as P, cancelMediaProcessing };
}

function checkCallOptions(
  input: unknown,
  clientTimeoutMs: number | undefined,
): { signal: AbortSignal | undefined; timeoutMs: number | undefined } {
  const { signal, timeoutMs } = checkRecord("options", input ?? {}, ["signal", "timeoutMs"]);
  if (signal !== undefined && !(signal instanceof AbortSignal))
    fail("options.signal", "must be an AbortSignal");
  return {
    signal,
    timeoutMs: timeoutMs === undefined ? clientTimeoutMs : checkTimeout("options.timeoutMs", timeoutMs),
  };
}

function operationRef<P extends CallsPath>(
  response: Response,
  text: string | undefined,
  requestUrl: string,
  callId: string,
): OperationRef<P> {
  const { status, headers } = response;
  const operation = status === 200 ? parseOperation(text) : undefined;
  const header = headers.get("location");
  const id = operation?.id;
  const ref: OperationRef =
    header === null && typeof id === "string" && id.trim()
      ? { ...operationUnder(requestUrl, callId, id), httpStatus: status }
      : { ...parseLocation(header, requestUrl, status), httpStatus: status };
  const requestId = headers.get("request-id");
  if (requestId) ref.requestId = requestId;
  if (operation) {
    ref.operation = operation as NonNullable<OperationRef["operation"]>;
    if (typeof operation.status === "string")
      ref.status = operation.status as NonNullable<OperationRef["status"]>;
  }
  return ref as OperationRef<P>;
}

/** The operation in a 200 body, or `undefined` when the body is empty or not a JSON object. */
function parseOperation(text: string | undefined): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text || "0");
    return typeof value === "object" && value && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
