// biome-ignore-all assist/source/organizeImports: exports are grouped by topic under banners, not sorted by path
/**
 * `graph-comms-kit/mocks`: a mock of Graph's cancelMediaProcessing for tests: MSW handlers typed
 * by the spec, failure scenarios, and the commsNotifications sender. Runs wherever MSW does (Node,
 * browsers); the Prism mock server (Node only) is in `graph-comms-kit/mocks/prism`.
 *
 * @packageDocumentation
 */

// ── MSW handlers ───────────────────────────────────────────────────────────────────────────
export {
  createGraphHandlers,
  type GraphHandlersOptions,
  type GraphMock,
  type NotifyOptions,
  type RecordedRequest,
} from "./graph-handlers.ts";
export type { IssuedOperation } from "./issued-operation.ts";
export type {
  RetryScenarioOptions,
  ScenarioHandle,
  ScenarioName,
  ScenarioOptions,
  ScenarioOptionsByName,
} from "./scenarios.ts";

// ── Notifications the mock sends ───────────────────────────────────────────────────────────
export {
  buildCommsNotifications,
  type CommsNotifications,
  type IdSpelling,
  type NotificationContent,
  type NotifiedStatus,
} from "./notification-builder.ts";
export {
  type DeliveryOptions,
  deliverNotifications,
  type NotificationDelivery,
  type NotificationSigner,
  type NotificationSink,
} from "./notification-delivery.ts";

// ── Types from the spec ────────────────────────────────────────────────────────────────────
export type { CallsPath } from "../core/call-paths.ts";
export type { OperationIds } from "../core/operation-path.ts";
export type { ODataError } from "./odata-error.ts";
export type { Contract } from "./spec-operations.ts";

// ── Errors ─────────────────────────────────────────────────────────────────────────────────
export { InvalidArgumentError } from "../core/errors.ts";
export { MocksError, NotificationDeliveryError, UnknownOperationError } from "./errors.ts";
