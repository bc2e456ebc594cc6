/**
 * graph-comms-kit: a typed client for Microsoft Graph's `call: cancelMediaProcessing`, built on
 * openapi-fetch's serializers and the spec's generated types.
 *
 * @example
 * import { createCallsClient, GraphError } from "graph-comms-kit";
 * const client = createCallsClient({ token: () => getAppToken() });
 * const op = await client.cancelMediaProcessing(callId, { all: true, clientContext: "ctx-1" });
 */

export type {
  CallsPath,
  CancelMediaProcessingBody,
  DefaultCallsPath,
} from "./call-paths.ts";
export type { CallOptions, CallsClient } from "./client.ts";
export { createCallsClient } from "./client.ts";
export type { CallsClientOptions, FetchLike, TokenSource } from "./client-options.ts";
export { defaultBaseUrl } from "./client-options.ts";
export { CallsClientError } from "./errors/calls-client-error.ts";
export { GraphError } from "./errors/graph-error.ts";
export { InvalidArgumentError } from "./errors/invalid-argument-error.ts";
export { LocationError } from "./errors/location-error.ts";
export { NetworkError } from "./errors/network-error.ts";
export { TimeoutError } from "./errors/timeout-error.ts";
export { TokenError } from "./errors/token-error.ts";
export { normalizeId } from "./operation-id.ts";
export type { OperationPath } from "./operation-path.ts";
export { parseOperationPath } from "./operation-path.ts";
export type { OperationRef } from "./operation-ref.ts";
export type { OperationStatus } from "./operation-status.ts";
export { defaultRetryPolicy, parseRetryAfter, type RetryOptions } from "./retry.ts";
