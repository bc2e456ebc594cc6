// biome-ignore-all assist/source/organizeImports: exports are grouped by topic under banners, not sorted by path
/**
 * graph-comms-kit: a typed client for Microsoft Graph's `call: cancelMediaProcessing`, built on
 * openapi-fetch's serializers and the spec's generated types.
 *
 * @example
 * import { createCallsClient, GraphError } from "graph-comms-kit";
 * const client = createCallsClient({ token: () => getAppToken() });
 * const op = await client.cancelMediaProcessing(callId, { all: true, clientContext: "ctx-1" });
 *
 * @packageDocumentation
 */

// ── The client ─────────────────────────────────────────────────────────────────────────────
export type { CallOptions, CallsClient, OperationRef } from "./client.ts";
export { createCallsClient } from "./client.ts";
export type { CallsClientOptions, FetchLike, TokenSource } from "./client-options.ts";
export { defaultBaseUrl } from "./client-options.ts";
export { defaultRetryPolicy, type RetryOptions } from "./retry.ts";

// ── Types from the spec, and operation ids ─────────────────────────────────────────────────
export type { components, paths } from "../../generated/schema.d.ts";
export type {
  CallsPath,
  CancelMediaProcessingBody,
  ClientPathParams,
  DefaultCallsPath,
  OperationBody,
} from "../core/call-paths.ts";
export { normalizeId } from "../core/operation-id.ts";
export { type OperationIds, parseOperationPath } from "../core/operation-path.ts";
export type { OperationStatus } from "../core/operation-status.ts";

// ── Errors ─────────────────────────────────────────────────────────────────────────────────
export { InvalidArgumentError } from "../core/errors.ts";
export {
  CallsClientError,
  GraphError,
  type GraphErrorInit,
  LocationError,
  NetworkError,
  ResponseTooLargeError,
  TimeoutError,
  TokenError,
} from "./errors.ts";
