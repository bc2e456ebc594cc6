/**
 * `graph-comms-kit/mocks`: a mock of Graph's cancelMediaProcessing for tests: MSW handlers typed
 * by the spec, failure scenarios, and the commsNotifications sender. Runs wherever MSW does (Node,
 * browsers); the Prism mock server (Node only) is in `graph-comms-kit/mocks/prism`.
 */

export { InvalidArgumentError } from "../core/errors.ts";
export { MocksError, NotificationDeliveryError, UnknownOperationError } from "./errors.ts";
export {
  createGraphHandlers,
  type GraphHandlersOptions,
  type GraphMock,
  type NotifyOptions,
  type OperationReference,
  type RecordedRequest,
} from "./graph-handlers.ts";
export type { IssuedOperation } from "./issued-operation.ts";
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
export type { ODataError } from "./odata-error.ts";
export type {
  RetryScenarioOptions,
  ScenarioHandle,
  ScenarioName,
  ScenarioOptions,
  ScenarioOptionsByName,
} from "./scenarios.ts";
export type { ContractFlavour, GraphPath } from "./spec-operations.ts";
