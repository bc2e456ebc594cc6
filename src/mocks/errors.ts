import type { CommsNotifications } from "./notification-builder.ts";

/**
 * The errors of the mocks (`graph-comms-kit/mocks` and `/mocks/prism`): {@link MocksError} for what
 * goes wrong at run time. A bad option or CLI flag throws the package's one `InvalidArgumentError`
 * (a `TypeError`, from `src/core/errors.ts`), which names the option by path.
 */

/**
 * The base class of every error the mocks throw at run time (not a bad option: that is an
 * `InvalidArgumentError`), so one `instanceof` check catches them all.
 *
 * @example
 * await graph.notify(op, { status: "completed" }).catch((e) => { if (e instanceof MocksError) console.error(e.name); });
 */
export class MocksError extends Error {
  // Literal names so that minifiers, which rename classes, keep them.
  /** The class of the error (`"MocksError"` here, each subclass its own), in minified bundles too. */
  override readonly name: string = "MocksError";
}

/**
 * Thrown by `notify()` when a notification could not be delivered: the callback URL could not be
 * reached or timed out (`status` undefined, the network error in `cause`), or the bot answered
 * with a non-2xx status (`status` and `responseBody` say what it answered).
 *
 * @example
 * await expect(graph.notify(op, { status: "completed", token: "bad" })).rejects.toMatchObject({ status: 401 });
 */
export class NotificationDeliveryError extends MocksError {
  /** Always `"NotificationDeliveryError"`, in minified bundles too. */
  override readonly name = "NotificationDeliveryError";
  /** The bot's HTTP status, when it answered. */
  readonly status: number | undefined;
  /** The bot's response body, when it answered. */
  readonly responseBody: string | undefined;
  /** The batch that was being delivered. */
  readonly batch: CommsNotifications;

  constructor(
    message: string,
    details: { batch: CommsNotifications; status?: number; responseBody?: string; cause?: unknown },
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.batch = details.batch;
    this.status = details.status;
    this.responseBody = details.responseBody;
  }
}

/**
 * Thrown by `notify()` when asked about an operation the mock handlers never issued. The message
 * lists the operation ids it did issue.
 *
 * @example
 * await expect(graph.notify("no-such-op", { status: "completed" })).rejects.toBeInstanceOf(UnknownOperationError);
 */
export class UnknownOperationError extends MocksError {
  /** Always `"UnknownOperationError"`, in minified bundles too. */
  override readonly name = "UnknownOperationError";
  /** What the caller passed to name the operation. */
  readonly reference: string;

  constructor(reference: string, issued: readonly string[]) {
    const known = issued.length === 0 ? "none yet" : issued.join(", ");
    super(`the mock issued no operation ${JSON.stringify(reference)} (issued: ${known})`);
    this.reference = reference;
  }
}
