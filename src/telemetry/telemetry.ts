import {
  type Attributes,
  context,
  type Meter,
  type MeterProvider,
  metrics,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  type TracerProvider,
  trace,
} from "@opentelemetry/api";
import { checkRecord, checkType, fail } from "../core/check.ts";
import type {
  ClientCallTelemetry,
  ServerRequestInfo,
  ServerRequestTelemetry,
  Telemetry,
} from "../core/telemetry.ts";

export type { Telemetry } from "../core/telemetry.ts";

/** Options of {@link createTelemetry}. */
export interface TelemetryOptions {
  /**
   * Where spans go.
   * @default the global tracer provider (`trace.getTracerProvider()`: what the OpenTelemetry SDK registers)
   */
  tracerProvider?: TracerProvider;
  /**
   * Where metrics go.
   * @default the global meter provider (`metrics.getMeterProvider()`)
   */
  meterProvider?: MeterProvider;
  /**
   * The path the notification handler is mounted on (`"/api/calls"`), reported as `http.route` and
   * in server span names; the handler serves whatever path it is given, so it cannot know its route.
   * @default none (spans are named by the method alone, as OpenTelemetry asks without a route)
   */
  route?: string;
}

/** The instrumentation scope of every span and metric. */
const scope = "graph-comms-kit";

/** OpenTelemetry's recommended buckets for HTTP durations, in seconds. */
const httpBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
/** Buckets for `wait()`: Graph's operations take from a fraction of a second to minutes. */
const waitBuckets = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

/** The methods OpenTelemetry's HTTP conventions name; any other is reported as `_OTHER`. */
const knownMethods = new Set([
  "CONNECT",
  "DELETE",
  "GET",
  "HEAD",
  "OPTIONS",
  "PATCH",
  "POST",
  "PUT",
  "TRACE",
]);

/**
 * Creates the OpenTelemetry reporting of the kit, to pass as the `telemetry` option of
 * `createCallsClient`, `createNotificationHandler` and `createOperationTracker`. It follows
 * OpenTelemetry's HTTP semantic conventions:
 * - a `CLIENT` span per client call (`POST /app/calls/{callId}/cancelMediaProcessing`):
 *   `http.request.method`, `url.full`, `url.template`, `server.address`, `server.port`,
 *   `http.response.status_code`, `http.request.resend_count` (retries), Graph's `request-id` as
 *   `http.response.header.request-id`, `error.type` (the status, or the error's name); and the
 *   `http.client.request.duration` histogram;
 * - a `SERVER` span per notification request: `http.request.method`, `url.path`, `url.scheme`,
 *   `http.route` (with `route`), `client.address`, `http.response.status_code`,
 *   `graph_comms.notification.count`, `graph_comms.batch.outcome` (`accepted` or `refused`) and
 *   `graph_comms.rejection.reason`; and the `http.server.request.duration` histogram;
 * - the tracker's `graph_comms.tracker.notifications` counter (`graph_comms.tracker.outcome`:
 *   `delivered`, `stored`, `duplicate`, `ignored`, `error`) and `graph_comms.tracker.wait.duration`
 *   histogram (`completed`, `failed`, `timeout`, `aborted`, `error`).
 *
 * Needs `@opentelemetry/api` (an optional peer dependency: only this entry loads it).
 *
 * @example
 * import { createTelemetry } from "graph-comms-kit/telemetry";
 *
 * const telemetry = createTelemetry({ route: "/api/calls" }); // the providers the OpenTelemetry SDK registered
 * const client = createCallsClient({ token, telemetry });
 * const tracker = createOperationTracker({ telemetry });
 * const handle = createNotificationHandler({ appId, onNotification: tracker.handle, telemetry });
 */
export function createTelemetry(options: TelemetryOptions = {}): Telemetry {
  const given = checkRecord("options", options, [
    "tracerProvider",
    "meterProvider",
    "route",
  ]) as TelemetryOptions;
  if (given.tracerProvider !== undefined && typeof given.tracerProvider?.getTracer !== "function")
    fail("options.tracerProvider", "must be an OpenTelemetry TracerProvider (getTracer)");
  if (given.meterProvider !== undefined && typeof given.meterProvider?.getMeter !== "function")
    fail("options.meterProvider", "must be an OpenTelemetry MeterProvider (getMeter)");
  const route =
    given.route === undefined ? undefined : checkType<string>("options.route", given.route, "string");
  const tracer = (given.tracerProvider ?? trace.getTracerProvider()).getTracer(scope);
  const meter = (given.meterProvider ?? metrics.getMeterProvider()).getMeter(scope);
  return new OpenTelemetryReporting(tracer, meter, route);
}

/** The {@link Telemetry} of {@link createTelemetry}. */
class OpenTelemetryReporting implements Telemetry {
  readonly #tracer: Tracer;
  readonly #route: string | undefined;
  readonly #clientDuration;
  readonly #serverDuration;
  readonly #handled;
  readonly #waits;

  constructor(tracer: Tracer, meter: Meter, route: string | undefined) {
    this.#tracer = tracer;
    this.#route = route;
    this.#clientDuration = meter.createHistogram("http.client.request.duration", {
      description: "Duration of HTTP client requests.",
      unit: "s",
      advice: { explicitBucketBoundaries: httpBuckets },
    });
    this.#serverDuration = meter.createHistogram("http.server.request.duration", {
      description: "Duration of HTTP server requests.",
      unit: "s",
      advice: { explicitBucketBoundaries: httpBuckets },
    });
    this.#handled = meter.createCounter("graph_comms.tracker.notifications", {
      description: "Notifications the operation tracker handled, by outcome.",
      unit: "{notification}",
    });
    this.#waits = meter.createHistogram("graph_comms.tracker.wait.duration", {
      description: "How long operation tracker wait() calls took, by outcome.",
      unit: "s",
      advice: { explicitBucketBoundaries: waitBuckets },
    });
  }

  clientCall(url: string, template: string): ClientCallTelemetry {
    const started = performance.now();
    const { hostname, port, protocol } = new URL(url);
    const base: Attributes = {
      "http.request.method": "POST",
      "server.address": hostname.replace(/^\[|\]$/g, ""),
      "server.port": port === "" ? (protocol === "https:" ? 443 : 80) : Number(port),
    };
    const span = this.#tracer.startSpan(`POST ${template}`, {
      kind: SpanKind.CLIENT,
      attributes: { ...base, "url.full": url, "url.template": template },
    });
    const duration = this.#clientDuration;
    let errorType: string | undefined;
    let message: string | undefined;
    return {
      response(response, attempts) {
        const { status } = response;
        base["http.response.status_code"] = status;
        span.setAttribute("http.response.status_code", status);
        if (attempts > 1) span.setAttribute("http.request.resend_count", attempts - 1);
        const requestId = response.headers.get("request-id");
        if (requestId) span.setAttribute("http.response.header.request-id", [requestId]);
        // Conventions: a 4xx or 5xx ends a client span in error, its status being the error type.
        if (status >= 400) errorType = String(status);
      },
      failed(error) {
        errorType ??= error instanceof Error ? error.name : "_OTHER";
        if (error instanceof Error) {
          span.recordException(error);
          message = error.message;
        }
      },
      end() {
        if (errorType !== undefined) {
          base["error.type"] = errorType;
          span.setAttribute("error.type", errorType);
          span.setStatus({ code: SpanStatusCode.ERROR, ...(message === undefined ? {} : { message }) });
        }
        span.end();
        duration.record((performance.now() - started) / 1000, base);
      },
    };
  }

  serverRequest({ method, path, scheme, remoteAddress }: ServerRequestInfo): ServerRequestTelemetry {
    const started = performance.now();
    const route = this.#route;
    const known = knownMethods.has(method);
    const base: Attributes = { "http.request.method": known ? method : "_OTHER", "url.scheme": scheme };
    if (route !== undefined) base["http.route"] = route;
    const attributes: Attributes = { ...base, "url.path": path };
    if (!known) attributes["http.request.method_original"] = method;
    if (remoteAddress !== undefined) attributes["client.address"] = remoteAddress;
    const name = `${known ? method : "HTTP"}${route === undefined ? "" : ` ${route}`}`;
    const span: Span = this.#tracer.startSpan(name, { kind: SpanKind.SERVER, attributes });
    const duration = this.#serverDuration;
    const active = trace.setSpan(context.active(), span);
    return {
      run: (work) => context.with(active, work),
      end(status, reason, count) {
        base["http.response.status_code"] = status;
        span.setAttribute("http.response.status_code", status);
        span.setAttribute("graph_comms.batch.outcome", reason === undefined ? "accepted" : "refused");
        if (reason !== undefined) span.setAttribute("graph_comms.rejection.reason", reason);
        if (count !== undefined) span.setAttribute("graph_comms.notification.count", count);
        // Conventions: only a 5xx ends a server span in error (a 4xx is the client's).
        if (status >= 500) {
          base["error.type"] = String(status);
          span.setAttribute("error.type", String(status));
          span.setStatus({
            code: SpanStatusCode.ERROR,
            ...(reason === undefined ? {} : { message: reason }),
          });
        }
        span.end();
        duration.record((performance.now() - started) / 1000, base);
      },
    };
  }

  notificationHandled(outcome: string): void {
    this.#handled.add(1, { "graph_comms.tracker.outcome": outcome });
  }

  waitStarted(): (outcome: string) => void {
    const started = performance.now();
    return (outcome) => {
      this.#waits.record((performance.now() - started) / 1000, { "graph_comms.tracker.outcome": outcome });
    };
  }
}
