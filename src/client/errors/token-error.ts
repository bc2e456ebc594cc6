import { CallsClientError } from "./calls-client-error.ts";

/**
 * The `token` option's function threw, rejected, or gave something that is not a non-empty string.
 * No request was sent for that attempt; the original error is the `cause`.
 *
 * @example
 * try {
 *   await client.cancelMediaProcessing(callId);
 * } catch (error) {
 *   if (error instanceof TokenError) console.error("could not get a Graph token", error.cause);
 * }
 */
export class TokenError extends CallsClientError {}
