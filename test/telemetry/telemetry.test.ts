/**
 * OpenTelemetry reporting, read back through the SDK's in-memory exporters: a client call's span
 * (HTTP client conventions: method, url.full, server.address, status, resend count, request-id,
 * error.type), a notification batch's server span on both paths, and the metrics (the handler's
 * http.server.request.duration, the tracker's notifications by outcome and wait() durations).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { context, metrics, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from "@opentelemetry/sdk-metrics";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createCallsClient } from "../../src/client/client.ts";
import { InvalidArgumentError } from "../../src/core/errors.ts";
import { OperationFailedError } from "../../src/notifications/errors.ts";
import {
  createNotificationHandler,
  type IncomingNotification,
  type NotificationHandler,
  receiverKey,
} from "../../src/notifications/receive/handler.ts";
import { toNodeListener } from "../../src/notifications/receive/node-adapter.ts";
import { createOperationTracker } from "../../src/notifications/track/tracker.ts";
import { createTelemetry } from "../../src/telemetry/index.ts";
import { acceptedHere, callId, graphError, operationId, stubFetch } from "../support/fetch-stub.ts";
import { type LocalServer, listenLocal } from "../support/listen-local.ts";
import { operationBatch } from "../support/notification-fixtures.ts";

const spans = new InMemorySpanExporter();
const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
// Exports only when the test asks (forceFlush), never on a timer of its own.
const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 2 ** 30 });
const meterProvider = new MeterProvider({ readers: [reader] });
const telemetry = createTelemetry({ tracerProvider, meterProvider, route: "/api/calls" });
const quiet = { warn: () => undefined, error: () => undefined };
let local: LocalServer;
/** The listener the test server hands its requests to: the Node path of the handler under test. */
let listener: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
const paths = ["fetch", "node"] as const;

/** The handler itself (the Fetch path), or the same handler behind `toNodeListener` on 127.0.0.1 (the Node path). */
function caller(path: (typeof paths)[number], handle: NotificationHandler): NotificationHandler {
  if (path === "fetch") return handle;
  return async (request) => {
    listener = toNodeListener(handle);
    const { pathname, search } = new URL(request.url);
    const body = request.body === null ? null : await request.text();
    return fetch(`${local.origin}${pathname}${search}`, {
      method: request.method,
      headers: request.headers,
      body,
    });
  };
}

beforeAll(async () => {
  local = await listenLocal(createServer((req, res) => listener?.(req, res)));
  // What the OpenTelemetry SDK for Node registers: the active span follows async work.
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
});

afterEach(() => {
  spans.reset();
});

afterAll(async () => {
  context.disable();
  await local.close();
  await meterProvider.shutdown();
  await tracerProvider.shutdown();
});

/** The data points of the metric `name` collected so far. */
async function points(name: string) {
  await reader.forceFlush();
  const all =
    metricExporter
      .getMetrics()
      .at(-1)
      ?.scopeMetrics.flatMap((scope) => scope.metrics) ?? [];
  metricExporter.reset();
  const metric = all.find((m) => m.descriptor.name === name);
  return (metric?.dataPoints ?? []) as Array<{ attributes: Record<string, unknown>; value: unknown }>;
}

describe("a client call", () => {
  const template = "/app/calls/{callId}/cancelMediaProcessing";

  it("is one CLIENT span with the HTTP client conventions' attributes, retries counted", async () => {
    const fetch = stubFetch(graphError(503, "ServiceUnavailable", { "retry-after": "0" }), (request) => {
      const response = acceptedHere(request);
      response.headers.set("request-id", "graph-request-1");
      return response;
    });
    const client = createCallsClient({ token: "t", fetch, telemetry });
    await client.cancelMediaProcessing(callId);
    const [span, ...others] = spans.getFinishedSpans();
    expect(others).toEqual([]);
    expect(span?.name).toBe(`POST ${template}`);
    expect(span?.kind).toBe(SpanKind.CLIENT);
    expect(span?.attributes).toEqual({
      "http.request.method": "POST",
      "url.full": fetch.requests[0]?.url,
      "url.template": template,
      "server.address": "graph.microsoft.com",
      "server.port": 443,
      "http.response.status_code": 202,
      "http.request.resend_count": 1,
      "http.response.header.request-id": ["graph-request-1"],
    });
    expect(span?.status.code).toBe(SpanStatusCode.UNSET);
    const durations = await points("http.client.request.duration");
    expect(durations).toContainEqual(
      expect.objectContaining({
        attributes: {
          "http.request.method": "POST",
          "server.address": "graph.microsoft.com",
          "server.port": 443,
          "http.response.status_code": 202,
        },
      }),
    );
  });

  it("ends in error with the status as error.type when Graph refuses", async () => {
    const client = createCallsClient({
      token: "t",
      fetch: stubFetch(graphError(404, "NotFound")),
      telemetry,
    });
    await expect(client.cancelMediaProcessing(callId)).rejects.toThrow();
    const [span] = spans.getFinishedSpans();
    expect(span?.attributes).toMatchObject({ "http.response.status_code": 404, "error.type": "404" });
    expect(span?.attributes).not.toHaveProperty("http.request.resend_count");
    expect(span?.status).toEqual({
      code: SpanStatusCode.ERROR,
      message: expect.stringContaining("NotFound"),
    });
  });

  it("names the error when no response came (error.type NetworkError)", async () => {
    const fetch = stubFetch(() => {
      throw new TypeError("fetch failed");
    });
    const client = createCallsClient({ token: "t", baseUrl: "http://127.0.0.1:8123/beta", fetch, telemetry });
    await expect(client.cancelMediaProcessing(callId)).rejects.toThrow();
    const [span] = spans.getFinishedSpans();
    expect(span?.attributes).toMatchObject({
      "server.address": "127.0.0.1",
      "server.port": 8123,
      "error.type": "NetworkError",
    });
    expect(span?.attributes).not.toHaveProperty("http.response.status_code");
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
    expect(span?.events.map((event) => event.name)).toEqual(["exception"]);
  });
});

describe.each(paths)("a notification batch on the %s path", (path) => {
  function handlerWith(onNotification: () => unknown = () => undefined) {
    const handle = createNotificationHandler({
      appId: "app",
      auth: false,
      onNotification,
      logger: quiet,
      telemetry,
    });
    return caller(path, handle);
  }
  const post = (body: string, contentType = "application/json") =>
    new Request("http://127.0.0.1/api/calls?x=1", {
      method: "POST",
      headers: { "content-type": contentType },
      body,
    });

  it("accepted: a SERVER span with the route, the count and the status, and a request duration", async () => {
    const handle = handlerWith();
    const response = await handle(post(JSON.stringify(operationBatch("completed"))));
    expect(response.status).toBe(202);
    const [span] = spans.getFinishedSpans();
    expect(span?.name).toBe("POST /api/calls");
    expect(span?.kind).toBe(SpanKind.SERVER);
    expect(span?.attributes).toMatchObject({
      "http.request.method": "POST",
      "http.route": "/api/calls",
      "url.path": "/api/calls",
      "url.scheme": "http",
      "http.response.status_code": 202,
      "graph_comms.batch.outcome": "accepted",
      "graph_comms.notification.count": 1,
    });
    if (path === "node") expect(span?.attributes["client.address"]).toBe("127.0.0.1");
    expect(span?.status.code).toBe(SpanStatusCode.UNSET);
    expect(await points("http.server.request.duration")).toContainEqual(
      expect.objectContaining({
        attributes: {
          "http.request.method": "POST",
          "url.scheme": "http",
          "http.route": "/api/calls",
          "http.response.status_code": 202,
        },
      }),
    );
  });

  it("refused: the span says why; a 4xx leaves the span's status unset, a 5xx sets error.type", async () => {
    const handle = handlerWith(() => {
      throw new Error("bug");
    });
    expect((await handle(post("{}", "text/plain"))).status).toBe(415);
    expect((await handle(post(JSON.stringify(operationBatch("completed"))))).status).toBe(500);
    const [unsupported, failed] = spans.getFinishedSpans();
    expect(unsupported?.attributes).toMatchObject({
      "http.response.status_code": 415,
      "graph_comms.batch.outcome": "refused",
      "graph_comms.rejection.reason": "unsupported-media-type",
    });
    expect(unsupported?.attributes).not.toHaveProperty("error.type");
    expect(unsupported?.status.code).toBe(SpanStatusCode.UNSET);
    expect(failed?.attributes).toMatchObject({
      "http.response.status_code": 500,
      "graph_comms.rejection.reason": "callback-failed",
      "error.type": "500",
    });
    expect(failed?.status).toEqual({ code: SpanStatusCode.ERROR, message: "callback-failed" });
  });

  it("runs the callbacks with the batch's span active, so their spans are its children", async () => {
    const seen: Array<string | undefined> = [];
    const handle = handlerWith(() => {
      seen.push(trace.getActiveSpan()?.spanContext().spanId);
    });
    expect((await handle(post(JSON.stringify(operationBatch("completed"))))).status).toBe(202);
    const [span] = spans.getFinishedSpans();
    expect(seen).toEqual([span?.spanContext().spanId]);
  });

  it("reports an unknown method as _OTHER, keeping the original", async () => {
    const handle = handlerWith();
    expect((await handle(new Request("http://127.0.0.1/api/calls", { method: "PROPFIND" }))).status).toBe(
      405,
    );
    const [span] = spans.getFinishedSpans();
    expect(span?.name).toBe("HTTP /api/calls");
    expect(span?.attributes).toMatchObject({
      "http.request.method": "_OTHER",
      "http.request.method_original": "PROPFIND",
      "graph_comms.rejection.reason": "method-not-allowed",
    });
  });
});

describe("the receiver core with and without telemetry", () => {
  /** A request as the receiver core reads it, whose `describe()` (what telemetry reads) is a spy. */
  function incoming(): IncomingNotification & { describe: ReturnType<typeof vi.fn> } {
    const body = new TextEncoder().encode(JSON.stringify(operationBatch("completed")));
    return {
      method: "POST",
      header: (name) => (name === "content-type" ? "application/json" : null),
      readBody: () => Promise.resolve(body),
      request: () => new Request("http://127.0.0.1/api/calls", { method: "POST" }),
      describe: vi.fn(() => ({
        path: "/api/calls",
        scheme: "http",
        contentLength: null,
        remoteAddress: undefined,
      })),
    };
  }
  const options = { appId: "app", auth: false as const, onNotification: () => undefined, logger: quiet };

  it("without telemetry, does nothing for it on an accepted request (the request is not even described)", async () => {
    const request = incoming();
    const receive = createNotificationHandler(options)[receiverKey];
    expect(await receive?.(request)).toEqual({ status: 202, count: 1 });
    expect(request.describe).not.toHaveBeenCalled();
    expect(spans.getFinishedSpans()).toEqual([]);
  });

  it("with telemetry, describes the request once for its span", async () => {
    const request = incoming();
    const receive = createNotificationHandler({ ...options, telemetry })[receiverKey];
    expect(await receive?.(request)).toEqual({ status: 202, count: 1 });
    expect(request.describe).toHaveBeenCalledOnce();
    expect(spans.getFinishedSpans()).toHaveLength(1);
  });
});

describe("the tracker's metrics", () => {
  it("counts notifications by outcome and times wait() by how it ended", async () => {
    const tracker = createOperationTracker({ telemetry });
    const other = { callId, operationId: "11111111-2222-3333-4444-555555555555" };
    const waiting = tracker.wait({ callId, operationId });
    const failing = tracker.wait(other);
    const timingOut = tracker.wait(
      { callId, operationId: "66666666-2222-3333-4444-555555555555" },
      { timeoutMs: 1 },
    );
    const [notification] = (await import("../../src/notifications/parse/parse.ts")).parseCommsNotifications(
      JSON.stringify(operationBatch("completed")),
    );
    const [failure] = (await import("../../src/notifications/parse/parse.ts")).parseCommsNotifications(
      JSON.stringify(operationBatch("failed", other)),
    );
    if (notification === undefined || failure === undefined) throw new Error("no notification parsed");
    expect(await tracker.handle(notification)).toBe("delivered");
    expect(await tracker.handle(notification)).toBe("duplicate");
    expect(await tracker.handle(failure)).toBe("delivered");
    await waiting;
    await expect(failing).rejects.toBeInstanceOf(OperationFailedError);
    await expect(timingOut).rejects.toThrow();
    const counted = await points("graph_comms.tracker.notifications");
    const count = (outcome: string) =>
      counted.find((p) => p.attributes["graph_comms.tracker.outcome"] === outcome)?.value;
    expect(count("delivered")).toBe(2);
    expect(count("duplicate")).toBe(1);
    const waits = await points("graph_comms.tracker.wait.duration");
    const outcomes = waits.map((p) => [
      p.attributes["graph_comms.tracker.outcome"],
      (p.value as { count: number }).count,
    ]);
    expect(outcomes).toEqual(
      expect.arrayContaining([
        ["completed", 1],
        ["failed", 1],
        ["timeout", 1],
      ]),
    );
  });
});

describe("createTelemetry", () => {
  it("reports to the globally registered providers by default (what the OpenTelemetry SDK sets up)", async () => {
    trace.setGlobalTracerProvider(tracerProvider);
    metrics.setGlobalMeterProvider(meterProvider);
    try {
      const tracker = createOperationTracker({ telemetry: createTelemetry() });
      const client = createCallsClient({
        token: "t",
        fetch: stubFetch(acceptedHere),
        telemetry: createTelemetry(),
      });
      await client.cancelMediaProcessing(callId);
      await tracker.wait({ callId, operationId }, { timeoutMs: 1 }).catch(() => undefined);
    } finally {
      trace.disable();
      metrics.disable();
    }
    expect(spans.getFinishedSpans().map((span) => span.name)).toEqual([
      "POST /app/calls/{callId}/cancelMediaProcessing",
    ]);
    const waits = await points("graph_comms.tracker.wait.duration");
    expect(waits.map((p) => p.attributes["graph_comms.tracker.outcome"])).toContain("timeout");
  });

  it("refuses a misspelt option, naming the nearest, and providers that are not providers", () => {
    expect(() => createTelemetry({ tracerprovider: tracerProvider } as never)).toThrow(
      /did you mean "tracerProvider"/,
    );
    expect(() => createTelemetry({ meterProvider: {} as never })).toThrow(InvalidArgumentError);
    expect(() => createTelemetry({ route: 1 as never })).toThrow(InvalidArgumentError);
  });

  it("is what the telemetry options take: a plain object is refused with a clear error", () => {
    const options = { tracerProvider } as never;
    expect(() => createCallsClient({ token: "t", telemetry: options })).toThrow(/createTelemetry\(\)/);
    expect(() => createOperationTracker({ telemetry: options })).toThrow(/createTelemetry\(\)/);
    expect(() =>
      createNotificationHandler({
        appId: "a",
        auth: false,
        onNotification: () => undefined,
        logger: quiet,
        telemetry: options,
      }),
    ).toThrow(/createTelemetry\(\)/);
  });
});
