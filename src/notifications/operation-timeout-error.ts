/**
 * No final notification (`completed` or `failed`) arrived for the operation within `timeoutMs`.
 *
 * @example
 * try { await tracker.wait(op, { timeoutMs: 5_000 }); } catch (e) { if (e instanceof OperationTimeoutError) retry(); }
 */
export class OperationTimeoutError extends Error {
  override name = "OperationTimeoutError";
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
