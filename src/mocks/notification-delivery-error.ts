import type { CommsNotifications } from "./notification-builder.ts";

/**
 * Thrown by `notify()` when a notification could not be delivered: the callback URL could not be
 * reached or timed out (`status` undefined, the network error in `cause`), or the bot answered
 * with a non-2xx status (`status` and `responseBody` say what it answered).
 *
 * @example
 * await expect(graph.notify(op, { status: "completed", token: "bad" })).rejects.toMatchObject({ status: 401 });
 */
export class NotificationDeliveryError extends Error {
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
