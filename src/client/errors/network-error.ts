import { CallsClientError } from "./calls-client-error.ts";

/**
 * The request never got an HTTP response: DNS failure, refused or reset connection, TLS error...
 * The error `fetch` threw is the `cause`. Not retried (the request may have reached Graph).
 *
 * @example
 * try {
 *   await client.cancelMediaProcessing(callId);
 * } catch (error) {
 *   if (error instanceof NetworkError) console.error(error.url, error.cause);
 * }
 */
export class NetworkError extends CallsClientError {
  /** The URL the request was sent to. */
  readonly url: string;

  constructor(url: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`Request to ${url} failed: ${reason}`, { cause });
    this.url = url;
  }
}
