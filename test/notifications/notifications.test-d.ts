import type { RequestListener } from "node:http";
import { describe, expectTypeOf, it } from "vitest";
import type { components } from "../../generated/schema.d.ts";
import type { OperationRef } from "../../src/client/client.ts";
import {
  createNotificationHandler,
  createOperationTracker,
  type HandleResult,
  type NotificationHandler,
  type OperationNotification,
  type OperationOutcome,
  type OperationStore,
  type ParsedNotification,
  parseCommsNotifications,
  type ResourceNotification,
  type ResultInfo,
  toNodeListener,
} from "../../src/notifications/index.ts";

describe("graph-comms-kit/notifications types", () => {
  it("derives notification types from the generated schema", () => {
    // Normalised to the documented camelCase members, or a later member as sent; absent when Graph sent null or nothing.
    expectTypeOf<OperationNotification["status"]>().toEqualTypeOf<
      components["schemas"]["operationStatus"] | (string & {}) | undefined
    >();
    expectTypeOf<OperationNotification["completionReason"]>().toEqualTypeOf<
      components["schemas"]["completionReason"] | (string & {}) | undefined
    >();
    expectTypeOf<OperationNotification["cancelled"]>().toEqualTypeOf<boolean>();
    expectTypeOf<ResultInfo["message"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<ParsedNotification["changeType"]>().toEqualTypeOf<
      "created" | "updated" | "deleted" | (string & {})
    >();
    expectTypeOf<OperationNotification["raw"]>().toEqualTypeOf<components["schemas"]["commsNotification"]>();
    expectTypeOf<ResultInfo["code"]>().toEqualTypeOf<number | string | undefined>();
  });

  it("narrows a parsed notification on kind", () => {
    const [n] = parseCommsNotifications("{}");
    if (n?.kind === "operation") {
      expectTypeOf(n).toEqualTypeOf<OperationNotification>();
      expectTypeOf(n.operationId).toBeString();
    }
    if (n?.kind === "resource") {
      expectTypeOf(n).toEqualTypeOf<ResourceNotification>();
      expectTypeOf(n.callId).toEqualTypeOf<string | undefined>();
    }
  });

  it("lets the tracker be the handler's callback and wait on the client's OperationRef", () => {
    const tracker = createOperationTracker();
    const handle = createNotificationHandler({ appId: "app", auth: false, onNotification: tracker.handle });
    expectTypeOf(handle).toEqualTypeOf<NotificationHandler>();
    expectTypeOf(handle).toMatchTypeOf<(request: Request) => Promise<Response>>();
    expectTypeOf(toNodeListener(handle)).toMatchTypeOf<RequestListener>();
    expectTypeOf(tracker.wait).toBeCallableWith({} as OperationRef, { timeoutMs: 1_000 });
    expectTypeOf(tracker.wait({} as OperationRef)).resolves.toEqualTypeOf<OperationOutcome>();
    expectTypeOf(tracker.handle).returns.resolves.toEqualTypeOf<HandleResult>();
  });

  it("refuses what the options do not allow", () => {
    // @ts-expect-error appId is required
    createNotificationHandler({ auth: false, onNotification: () => {} });
    // @ts-expect-error auth is options or false, never true
    createNotificationHandler({ appId: "app", auth: true, onNotification: () => {} });
    // @ts-expect-error an operation needs both ids
    void createOperationTracker().wait({ callId: "c" });
  });

  it("accepts a shared store with async methods", () => {
    const store: OperationStore = {
      add: async () => true,
      get: async () => undefined,
    };
    expectTypeOf(createOperationTracker).toBeCallableWith({ store });
  });
});
