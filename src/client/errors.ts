import type { components } from "../../generated/schema.d.ts";

/** The errors the calls client (`graph-comms-kit`) throws, under one base class. */

/**
 * The base class of every error the calls client throws on purpose once a call is under way, so one
 * `instanceof` check catches them all. Not among them: an `AbortSignal`'s own reason (rethrown as
 * is) and {@link InvalidArgumentError} (a bad argument or option, a `TypeError` shared by every entry).
 *
 * @example
 * try {
 *   await client.cancelMediaProcessing(callId);
 * } catch (error) {
 *   if (error instanceof CallsClientError) console.error(error.name, error.message);
 * }
 */
export class CallsClientError extends Error {
  // Literal names, never `new.target.name`: minifiers rename classes (a minified TimeoutError was "g").
  /** The class of the error (`"CallsClientError"` here, each subclass its own), in minified bundles too. */
  override readonly name: string = "CallsClientError";
}

type MainError = components["schemas"]["mainError"];

/** What a {@link GraphError} is made of: its fields, as the client reads them from Graph's response. */
export interface GraphErrorInit {
  /** The HTTP status. */
  status: number;
  /** Graph's `error.code`, or `"HttpError<status>"` when the body has none. */
  code: string;
  /** The error's message. */
  message: string;
  /** The URL the request was sent to. */
  url: string;
  /** How many times the request was sent. */
  attempts: number;
  /** The response body: parsed JSON when it was JSON, else the text. */
  body: unknown;
  /** Graph's `error` object, when the body is in the OData error shape. */
  mainError: MainError | undefined;
  /** The `request-id` Graph gave, in the body or a header. */
  requestId: string | undefined;
  /** The `client-request-id` Graph gave, in the body or a header. */
  clientRequestId: string | undefined;
  /** The date Graph gave, in the body or the `Date` header. */
  date: string | undefined;
  /** The `Retry-After` header in milliseconds, when present and valid. */
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
  /** Always `"GraphError"`, in minified bundles too. */
  override readonly name = "GraphError";
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

/**
 * Graph answered with success but the response does not say which operation it created: the
 * `Location` header is missing (and there is no operation body to fall back on), is not a URL,
 * does not end in `/calls/{callId}/operations/{operationId}`, names another call than the one
 * requested, carries credentials, or is on another origin than `baseUrl`'s or Graph's.
 *
 * @example
 * try {
 *   await client.cancelMediaProcessing(callId);
 * } catch (error) {
 *   if (error instanceof LocationError) console.error(error.status, error.location);
 * }
 */
export class LocationError extends CallsClientError {
  /** Always `"LocationError"`, in minified bundles too. */
  override readonly name = "LocationError";
  /** The HTTP status of the (successful) response. */
  readonly status: number;
  /** The `Location` header as received, or `undefined` when it was missing. */
  readonly location: string | undefined;

  constructor(status: number, location: string | undefined, problem: string) {
    super(`Graph answered ${status} but ${problem}`);
    this.status = status;
    this.location = location;
  }
}

/**
 * The request or its response failed below HTTP: DNS failure, refused or reset connection, TLS
 * error, a response body cut off, a `fetch` option that threw or gave no `Response`... The error
 * is the `cause`. Not retried (the request may have reached Graph).
 *
 * @example
 * try {
 *   await client.cancelMediaProcessing(callId);
 * } catch (error) {
 *   if (error instanceof NetworkError) console.error(error.url, error.cause);
 * }
 */
export class NetworkError extends CallsClientError {
  /** Always `"NetworkError"`, in minified bundles too. */
  override readonly name = "NetworkError";
  /** The URL the request was sent to. */
  readonly url: string;

  constructor(url: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`Request to ${url} failed: ${reason}`, { cause });
    this.url = url;
  }
}

/**
 * Graph's response body (a `200`'s operation, an error's details) is over 1 MiB (1,048,576 bytes)
 * or nested deeper than 32 levels, far beyond anything Graph sends for this action: the client
 * stops reading there and frees the connection instead of holding the whole body in memory, and
 * does not hand out a value that `JSON.stringify` and other recursive code would overflow on.
 * Bodies the client does not use (a `202`'s, a retried `429`'s) are never read.
 *
 * @example
 * try {
 *   await client.cancelMediaProcessing(callId);
 * } catch (error) {
 *   if (error instanceof ResponseTooLargeError) console.error(`Graph's ${error.status} body was too large`);
 * }
 */
export class ResponseTooLargeError extends CallsClientError {
  /** Always `"ResponseTooLargeError"`, in minified bundles too. */
  override readonly name = "ResponseTooLargeError";
  /** The HTTP status of the response. */
  readonly status: number;

  /** @param status The HTTP status of the response. */
  constructor(status: number) {
    super(`Graph's ${status} response body is over 1 MiB or 32 levels deep`);
    this.status = status;
  }
}

/**
 * The call took longer than its `timeoutMs`, counting every attempt and every wait between
 * retries. The request in flight is aborted and no further retry is made.
 *
 * @example
 * try {
 *   await client.cancelMediaProcessing(callId, {}, { timeoutMs: 5_000 });
 * } catch (error) {
 *   if (error instanceof TimeoutError) console.error(`gave up after ${error.timeoutMs} ms`);
 * }
 */
export class TimeoutError extends CallsClientError {
  /** Always `"TimeoutError"`, in minified bundles too. */
  override readonly name = "TimeoutError";
  /** The time limit that was exceeded, in milliseconds. */
  readonly timeoutMs: number;

  constructor(timeoutMs: number) {
    super(`cancelMediaProcessing timed out after ${timeoutMs} ms`);
    this.timeoutMs = timeoutMs;
  }
}

/**
 * The `token` option's function threw, rejected, or gave something that is not a token a header can
 * carry (a non-empty string of visible ASCII, as RFC 6750 bearer tokens are).
 * No request was sent for that attempt; the original error is the `cause`.
 *
 * @example
 * try {
 *   await client.cancelMediaProcessing(callId);
 * } catch (error) {
 *   if (error instanceof TokenError) console.error("could not get a Graph token", error.cause);
 * }
 */
export class TokenError extends CallsClientError {
  /** Always `"TokenError"`, in minified bundles too. */
  override readonly name = "TokenError";
}
