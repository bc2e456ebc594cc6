// biome-ignore-all assist/source/organizeImports: exports are grouped by topic under banners, not sorted by path
/**
 * `graph-comms-kit/notifications`: receive, authenticate, validate and correlate the
 * `commsNotifications` Graph POSTs to a calling bot.
 *
 * @example
 * import http from "node:http";
 * import { createNotificationHandler, createOperationTracker, toNodeListener } from "graph-comms-kit/notifications";
 *
 * const tracker = createOperationTracker();
 * const handle = createNotificationHandler({ appId: process.env.APP_ID!, onNotification: tracker.handle });
 * http.createServer(toNodeListener(handle)).listen(3978);
 * const done = await tracker.wait(operationRef, { timeoutMs: 30_000 });
 */

// ── Receive: the handler, its Node adapter and server ──────────────────────────────────────
export {
  createNotificationHandler,
  type NotificationCallback,
  type NotificationContext,
  type NotificationHandler,
  type NotificationHandlerOptions,
  type NotificationLogger,
} from "./receive/handler.ts";
export {
  createNotificationServer,
  type NotificationServerOptions,
  toNodeListener,
} from "./receive/node-adapter.ts";

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
  OperationNotification,
  OperationStatus,
  ParsedNotification,
  ResourceData,
  ResourceNotification,
  ResultInfo,
} from "./parse/notification.ts";
export { isFinalOperation } from "./parse/notification.ts";
export { parseCommsNotifications, warmUpParser } from "./parse/parse.ts";

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
} from "./errors.ts";
