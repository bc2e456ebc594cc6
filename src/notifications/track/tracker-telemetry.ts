import type { Telemetry } from "../../core/telemetry.ts";
import { OperationFailedError, OperationTimeoutError } from "../errors.ts";
import type { OperationTracker } from "./tracker.ts";

/**
 * The tracker's `handle` and `wait` with their outcomes counted and timed. Only a tracker given
 * `telemetry` gets these wrappers; without it the tracker's own functions are handed out.
 */
export function measured(
  { handle, wait }: Pick<OperationTracker, "handle" | "wait">,
  telemetry: Telemetry,
): Pick<OperationTracker, "handle" | "wait"> {
  return {
    handle(notification) {
      const handled = handle(notification);
      handled.then(
        (outcome) => telemetry.notificationHandled(outcome),
        () => telemetry.notificationHandled("error"),
      );
      return handled;
    },
    wait(operation, options) {
      const done = telemetry.waitStarted();
      const waiting = wait(operation, options);
      waiting.then(
        () => done("completed"),
        (error: unknown) => done(waitOutcome(error, options?.signal)),
      );
      return waiting;
    },
  };
}

/** How a `wait()` that rejected ended: `failed`, `timeout`, `aborted`, or `error` (a bad argument, a store). */
function waitOutcome(error: unknown, signal: AbortSignal | undefined): string {
  if (error instanceof OperationFailedError) return "failed";
  if (error instanceof OperationTimeoutError) return "timeout";
  return signal?.aborted && error === signal.reason ? "aborted" : "error";
}
