import type { OperationNotification, ResultInfo } from "./notification.ts";

/**
 * The operation a tracker waited for ended with status `failed`. Carries Graph's `resultInfo`.
 *
 * @example
 * try { await tracker.wait(op); } catch (e) { if (e instanceof OperationFailedError) console.log(e.resultInfo?.subcode); }
 */
export class OperationFailedError extends Error {
  override name = "OperationFailedError";
  /** The call id, normalised. */
  readonly callId: string;
  /** The operation id, normalised. */
  readonly operationId: string;
  /** Graph's account of the failure, when it sent one. */
  readonly resultInfo: ResultInfo | undefined;
  /** The notification that reported the failure. */
  readonly notification: OperationNotification;

  /** @param notification The notification that reported `failed`. */
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
