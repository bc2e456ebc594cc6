import { createFinalURL } from "openapi-fetch";
import {
  type ActionBody,
  type ActionName,
  type ActionPath,
  actionNames,
  actionPath,
  type BaseOf,
  callBaseOf,
  type OperationBody,
  type PathOf,
} from "../core/actions.ts";
import type { CallsPath, DefaultCallsPath } from "../core/call-paths.ts";
import { checkRecord, checkTimeout, fail, typeOf } from "../core/check.ts";
import type { OperationIds } from "../core/operation-path.ts";
import { type ReportedOperationStatus, readOperationStatus } from "../core/operation-status.ts";
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

/** The operation Graph created for an action: its normalised `callId` and `operationId`, to pass to the tracker's `wait()`. */
export interface OperationRef<P extends ActionPath = ActionPath> extends OperationIds {
  callId: string;
  operationId: string;
  /** The operation's absolute URI (the `Location` header, resolved against the request URL). */
  location: string;
  /** The HTTP status Graph answered with: `202` (2018 contract) or `200` (`/communications/...`, present-day `/app/...`). */
  httpStatus: number;
  /** Graph's `request-id` response header, when present: quote it to Microsoft support. */
  requestId?: string;
  /** The status from a `200` body in the documented spelling; `completed` and `failed` are final (no notification follows). */
  status?: [OperationBody<P>] extends [never] ? never : ReportedOperationStatus;
  /** The operation itself, the `200` body (`/communications/...`, and `/app/...` on present-day beta), as received. */
  operation?: OperationBody<P>;
}

/** One action on a call: POSTs the spec-checked `body` and returns the operation Graph created, or throws a `CallsClientError`. */
export type ActionMethod<Path extends ActionPath> = (
  callId: string,
  body?: ActionBody<Path>,
  options?: CallOptions,
) => Promise<OperationRef<Path>>;

/** The spec path of action `A` for a client configured with cancelMediaProcessing path `P` (same call base). */
export type ClientActionPath<A extends ActionName, P extends CallsPath> = PathOf<A, BaseOf<P> & string> &
  ActionPath;

/** A client with one method per action of the spec (`cancelMediaProcessing`, `playPrompt`, `recordResponse`) on one call base. */
export type CallsClient<P extends CallsPath = DefaultCallsPath> = {
  /** The base URL requests go to (and the only place the token is sent), without a trailing slash. */
  readonly baseUrl: string;
  /** The cancelMediaProcessing path this client was configured with; its call base addresses every action. */
  readonly path: P;
} & { readonly [A in ActionName]: ActionMethod<ClientActionPath<A, P>> };

/**
 * Creates a typed client for Graph's call actions on one of the spec's paths (options: {@link CallsClientOptions}).
 * @example
 * import { createCallsClient } from "graph-comms-kit";
 *
 * const client = createCallsClient({ token: () => getAppToken() }); // Graph beta, /app/calls/{callId}
 * const op = await client.cancelMediaProcessing(callId, { all: true, clientContext: "ctx-1" });
 * console.log(op.callId, op.operationId, op.location);
 * const v1 = createCallsClient({ token: () => getAppToken(), baseUrl: "https://graph.microsoft.com/v1.0", path: "/communications/calls/{callId}/cancelMediaProcessing" });
 * (await v1.cancelMediaProcessing(callId, { clientContext: "ctx-2" })).status; // "completed"
 * @see {@link https://learn.microsoft.com/graph/api/call-cancelmediaprocessing | call: cancelMediaProcessing}
 */
export function createCallsClient<P extends CallsPath = DefaultCallsPath>(
  options: CallsClientOptions<P>,
): CallsClient<P> {
  // openapi-fetch builds the URL; the deadline, body limit and Location checks are ours, as its middleware cannot bound them.
  const config = resolveOptions(options);
  const { baseUrl, pathParams } = config;

  async function call(
    path: ActionPath,
    callId: string,
    body: unknown,
    callOptions: CallOptions | undefined,
  ): Promise<OperationRef> {
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
      return operationRef(response, text, url, callId);
    } catch (error) {
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

  // One method per action of the spec under this client's call base: adding an action to the spec adds it here.
  const client: Record<string, unknown> = { baseUrl, path: config.path };
  const base = callBaseOf(config.path);
  for (const action of actionNames) {
    const served = actionPath(action, base);
    if (served) {
      client[action] = (callId: string, body?: unknown, callOptions?: CallOptions) =>
        call(served, callId, body, callOptions);
    }
  }
  return client as CallsClient<P>;
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

function operationRef(response: Response, text: string, requestUrl: string, callId: string): OperationRef {
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
    const status = readOperationStatus(operation.status);
    if (status !== undefined) ref.status = status as NonNullable<OperationRef["status"]>;
  }
  return ref;
}

/** openapi-fetch's `defaultPathSerializer` for the `simple` string parameters the spec uses, without its other styles' code. */
export function pathSerializer(path: string, params: Record<string, unknown>): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] as string));
}

/** No query string: the spec's actions take no query parameters. */
function noQuery(): string {
  return "";
}
