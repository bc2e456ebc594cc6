import { describe, expectTypeOf, it } from "vitest";
import type { components } from "../../generated/schema.d.ts";
import {
  type CommsNotifications,
  createGraphHandlers,
  type GraphPath,
  type NotifyOptions,
  type ScenarioName,
} from "../../src/mocks/index.ts";

describe("mocks types", () => {
  const graph = createGraphHandlers();

  it("types paths and notifications from the generated spec types", () => {
    expectTypeOf<GraphPath>().toEqualTypeOf<
      | "/app/calls/{callId}/cancelMediaProcessing"
      | "/applications/{appId}/calls/{callId}/cancelMediaProcessing"
      | "/communications/calls/{callId}/cancelMediaProcessing"
    >();
    expectTypeOf<CommsNotifications>().toEqualTypeOf<components["schemas"]["commsNotifications"]>();
    expectTypeOf(graph.buildNotification).returns.toEqualTypeOf<CommsNotifications>();
  });

  it("accepts only the statuses a notification can report", () => {
    expectTypeOf<NotifyOptions["status"]>().toEqualTypeOf<"running" | "completed" | "failed">();
    // @ts-expect-error notStarted is not reported by a notification
    graph.buildNotification("op", { status: "notStarted" });
  });

  it("types scenario options by name", () => {
    expectTypeOf<Parameters<typeof graph.scenario>[0]>().toEqualTypeOf<ScenarioName>();
    graph.scenario("throttled", { times: 2, retryAfter: 1 });
    // @ts-expect-error retryAfter belongs to throttled and serviceUnavailable only
    graph.scenario("notFound", { retryAfter: 1 });
  });
});
