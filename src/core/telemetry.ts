import { fail } from "./check.ts";

/**
 * Where the client, the notification handler and the tracker report spans and metrics to: made by
 * `createTelemetry()` of `graph-comms-kit/telemetry` (OpenTelemetry) and passed as their `telemetry`
 * option. Without one nothing is measured and nothing is loaded. The methods are the kit's own
 * protocol with that entry, not an API to call.
 */
export interface Telemetry {
  /** Starts the span of one client call to `url` (`template`: the spec path it was built from). @internal */
  clientCall(url: string, template: string): ClientCallTelemetry;
  /** Starts the span and timing of one request to the notification handler. @internal */
  serverRequest(request: ServerRequestInfo): ServerRequestTelemetry;
  /** Counts a notification the tracker handled, by what it did with it. @internal */
  notificationHandled(outcome: string): void;
  /** Starts timing one `wait()`; the function returned records how it ended. @internal */
  waitStarted(): (outcome: string) => void;
}

/** One client call under way. */
export interface ClientCallTelemetry {
  /** The last response of the call, after `attempts` sends. */
  response(response: Response, attempts: number): void;
  /** The error the call ends with. */
  failed(error: unknown): void;
  /** The call is over. */
  end(): void;
}

/** What the handler knows of a request when it starts on it. */
export interface ServerRequestInfo {
  method: string;
  path: string;
  scheme: string;
  remoteAddress: string | undefined;
}

/** One request to the notification handler under way. */
export interface ServerRequestTelemetry {
  /** Runs `work` with the request's span active, so that spans the callbacks start are its children. */
  run<T>(work: () => T): T;
  /** The request is answered: `status`, the refusal's reason, how many notifications the batch had. */
  end(status: number, reason: string | undefined, count: number | undefined): void;
}

/** Checks a `telemetry` option: absent, or made by `createTelemetry()`. */
export function checkTelemetry(argument: string, value: unknown): Telemetry | undefined {
  if (value !== undefined && typeof (value as Partial<Telemetry> | null)?.clientCall !== "function")
    fail(argument, "must come from createTelemetry()");
  return value as Telemetry | undefined;
}
