// biome-ignore-all assist/source/organizeImports: exports are grouped by topic under banners, not sorted by path
/**
 * `graph-comms-kit/notifications`: receive, authenticate, validate and correlate the
 * `commsNotifications` Graph POSTs to a calling bot, on `node:http`, Express, Connect, Polka
 * (`createNodeMiddleware`), Fastify (`fastifyNotifications`) or any Fetch-API server
 * (`createNotificationHandler`).
 *
 * @example
 * import http from "node:http";
 * import { createNodeMiddleware, createOperationTracker } from "graph-comms-kit/notifications";
 *
 * const tracker = createOperationTracker();
 * http.createServer(createNodeMiddleware({ appId: process.env.APP_ID!, onNotification: tracker.handle })).listen(3978);
 * const done = await tracker.wait(operationRef, { timeoutMs: 30_000 });
 *
 * @packageDocumentation
 */

// ── Receive: the handler, its Node adapter, server and framework middleware ──────────────────────────────────────
export {
  createNotificationHandler,
  type NotificationCallback,
  type NotificationContext,
  type NotificationHandler,
  type NotificationHandlerOptions,
  type NotificationLogger,
} from "./receive/handler.ts";
export type {
  NotificationRejection,
  RejectionHook,
  RejectionReason,
  RequestSummary,
  TokenSummary,
} from "./receive/rejections.ts";
export {
  createNotificationServer,
  type NotificationServerOptions,
  toNodeListener,
} from "./receive/node-adapter.ts";
export {
  createNodeMiddleware,
  defaultNotificationPath,
  type NodeMiddleware,
  type NodeMiddlewareOptions,
} from "./receive/middleware.ts";
export { type FastifyNotificationsOptions, fastifyNotifications } from "./receive/fastify.ts";

// ── Authenticate ───────────────────────────────────────────────────────────────────────────
export {
  createNotificationVerifier,
  defaultIssuers,
  defaultOpenIdConfigurationUrl,
  type NotificationAuthOptions,
  type NotificationVerifier,
  type VerifiedToken,
} from "./auth/verifier.ts";
export type { KeySource, MicrosoftCloud } from "./auth/clouds.ts";
export type { AuthLogger } from "./auth/signing-keys.ts";
export type { TokenCacheOptions } from "./auth/token-cache.ts";

// ── Parse and validate ─────────────────────────────────────────────────────────────────────
export type {
  ChangeType,
  CommsNotification,
  CommsNotifications,
  CommsOperation,
  CompletionReason,
  OperationAnswer,
  OperationFields,
  OperationNotification,
  OperationOutcome,
  OperationStatus,
  ParsedNotification,
  ReportedOperationStatus,
  ResourceData,
  ResourceNotification,
  ResultInfo,
} from "./parse/notification.ts";
export { isFinalOperation } from "./parse/notification.ts";
export { parseCommsNotifications } from "./parse/parse.ts";

// ── Correlate: the tracker and its stores ──────────────────────────────────────────────────
export type { OperationIds } from "../core/operation-path.ts";
export {
  createMemoryOperationStore,
  type MemoryOperationStore,
  type MemoryOperationStoreOptions,
  type OperationStore,
  type OperationStoreListener,
} from "./track/operation-store.ts";
export {
  createOperationTracker,
  type HandleResult,
  type OperationTracker,
  type OperationTrackerOptions,
  type WaitOptions,
  type WaitTarget,
} from "./track/tracker.ts";
export { operationKey } from "./track/operation-key.ts";

// ── Errors ─────────────────────────────────────────────────────────────────────────────────
export { InvalidArgumentError } from "../core/errors.ts";
export {
  BodyTooLargeError,
  InvalidNotificationError,
  NotificationAuthError,
  type NotificationAuthFailure,
  NotificationsError,
  OperationFailedError,
  OperationTimeoutError,
  StoreUnavailableError,
  TrackerClosedError,
} from "./errors.ts";
