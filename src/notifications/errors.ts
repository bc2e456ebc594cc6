import type { OperationNotification, ResultInfo } from "./parse/notification.ts";

/**
 * The base class of every error the notification receiver and the operation tracker throw on
 * purpose, so one `instanceof` check catches them all. Every `name` is a literal, which minifiers keep.
 *
 * @example
 * try { await tracker.wait(op); } catch (e) { if (e instanceof NotificationsError) console.error(e.name, e.message); }
 */
export class NotificationsError extends Error {
  /** The class of the error (`"NotificationsError"` here, each subclass its own). */
  override readonly name: string = "NotificationsError";
}

/**
 * A request body over the handler's limit. Raised while reading, as soon as the limit is passed,
 * so an oversized body is never buffered whole. The handler answers 413.
 *
 * @example
 * const handle = createNotificationHandler({ appId, auth: false, maxBodyBytes: 1024, onNotification });
 * (await handle(requestWithLargerBody)).status; // 413: reading stopped at a BodyTooLargeError
 */
export class BodyTooLargeError extends NotificationsError {
  override readonly name = "BodyTooLargeError";
  /** The limit that was passed, in bytes. */
  readonly limitBytes: number;

  constructor(limitBytes: number) {
    super(`Request body is larger than ${limitBytes} bytes`);
    this.limitBytes = limitBytes;
  }
}

/**
 * A notification body that is not valid JSON or not a valid `commsNotifications` batch. The message
 * names each wrong field by its JSON path, such as `body/value/0/changeType must be one of [...]`.
 *
 * @example
 * try { parseCommsNotifications(body); } catch (e) { if (e instanceof InvalidNotificationError) console.log(e.message); }
 */
export class InvalidNotificationError extends NotificationsError {
  override readonly name = "InvalidNotificationError";
}

/** Why a notification's bearer token was refused. */
export type NotificationAuthFailure =
  /** No `Authorization: Bearer …` header. */
  | "missing-token"
  /** The token is malformed, badly signed, expired, or its claims are wrong. */
  | "invalid-token"
  /** The signing keys could not be fetched (OpenID configuration or JWKS endpoint unreachable or invalid). */
  | "keys-unavailable";

/**
 * A notification whose bearer JWT is missing or fails verification. The handler answers 401.
 *
 * @example
 * verifier.verify(header).catch((e: unknown) => { if (e instanceof NotificationAuthError) console.log(e.failure); });
 */
export class NotificationAuthError extends NotificationsError {
  override readonly name = "NotificationAuthError";
  /** The kind of failure. */
  readonly failure: NotificationAuthFailure;

  constructor(failure: NotificationAuthFailure, message: string, options?: ErrorOptions) {
    super(message, options);
    this.failure = failure;
  }
}

/**
 * The operation a tracker waited for ended with status `failed`. Carries Graph's `resultInfo`.
 *
 * @example
 * try { await tracker.wait(op); } catch (e) { if (e instanceof OperationFailedError) console.log(e.resultInfo?.subcode); }
 */
export class OperationFailedError extends NotificationsError {
  override readonly name = "OperationFailedError";
  /** The call id, normalised. */
  readonly callId: string;
  /** The operation id, normalised. */
  readonly operationId: string;
  /** Graph's account of the failure, when it sent one. */
  readonly resultInfo: ResultInfo | undefined;
  /** The notification that reported the failure. */
  readonly notification: OperationNotification;

  constructor(notification: OperationNotification) {
    const info = notification.resultInfo;
    const detail = info
      ? ` (code ${String(info.code ?? "?")}, subcode ${String(info.subcode ?? "?")}${info.message ? `: ${info.message}` : ""})`
      : "";
    super(`Operation ${notification.operationId} of call ${notification.callId} failed${detail}`);
    this.callId = notification.callId;
    this.operationId = notification.operationId;
    this.resultInfo = info;
    this.notification = notification;
  }
}

/**
 * No final notification (`completed` or `failed`) arrived for the operation within `timeoutMs`.
 *
 * @example
 * try { await tracker.wait(op, { timeoutMs: 5_000 }); } catch (e) { if (e instanceof OperationTimeoutError) console.warn(`no final notification in ${e.timeoutMs} ms`); }
 */
export class OperationTimeoutError extends NotificationsError {
  override readonly name = "OperationTimeoutError";
  /** The call id, normalised. */
  readonly callId: string;
  /** The operation id, normalised. */
  readonly operationId: string;
  /** How long the tracker waited, in milliseconds. */
  readonly timeoutMs: number;

  constructor(callId: string, operationId: string, timeoutMs: number) {
    super(`No final notification for operation ${operationId} of call ${callId} within ${timeoutMs} ms`);
    this.callId = callId;
    this.operationId = operationId;
    this.timeoutMs = timeoutMs;
  }
}

/**
 * The operation store could not be reached (for example, Redis is down). The notification handler
 * answers 503 with `Retry-After` when a callback fails with it, so Graph delivers the batch again,
 * and logs it once per outage rather than once per request.
 *
 * @example
 * async add(key, notification) {
 *   try { return await db.insertIfAbsent(key, notification); }
 *   catch (cause) { throw new StoreUnavailableError("the database is unreachable", { cause }); }
 * }
 */
export class StoreUnavailableError extends NotificationsError {
  override readonly name = "StoreUnavailableError";
  /** Tells the handler to answer 503 + `Retry-After`: Graph delivers the batch again later. */
  readonly retryable = true;
}

/**
 * The tracker was closed (`tracker.close()`, on shutdown) before the operation's final notification
 * arrived: pending `wait()`s reject with it, and so do later `wait()` and `handle()` calls. It is
 * `retryable`, so a handler still serving answers 503 and Graph delivers the batch again, to an
 * instance that is not shutting down.
 *
 * @example
 * try { await tracker.wait(op); } catch (e) { if (e instanceof TrackerClosedError) return; } // shutting down
 */
export class TrackerClosedError extends NotificationsError {
  /** Always `"TrackerClosedError"`, in minified bundles too. */
  override readonly name = "TrackerClosedError";
  /** Tells the handler to answer 503 + `Retry-After`: Graph delivers the batch again later. */
  readonly retryable = true;
  /** The call id, normalised; `undefined` for a `handle()` refused after close. */
  readonly callId: string | undefined;
  /** The operation id, normalised; `undefined` for a `handle()` refused after close. */
  readonly operationId: string | undefined;

  constructor(operation?: { callId: string; operationId: string }) {
    super(
      operation
        ? `The operation tracker was closed before the final notification for operation ${operation.operationId} of call ${operation.callId} arrived`
        : "The operation tracker is closed",
    );
    this.callId = operation?.callId;
    this.operationId = operation?.operationId;
  }
}
