import { CallsClientError } from "./calls-client-error.ts";

/**
 * Graph answered with success but the response does not say which operation it created: the
 * `Location` header is missing (and there is no operation body to fall back on), is not a URL, or
 * does not end in `/calls/{callId}/operations/{operationId}`.
 *
 * @example
 * try {
 *   await client.cancelMediaProcessing(callId);
 * } catch (error) {
 *   if (error instanceof LocationError) console.error(error.status, error.location);
 * }
 */
export class LocationError extends CallsClientError {
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
