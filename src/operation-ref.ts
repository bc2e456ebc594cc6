import type { CallsPath, OperationBody } from "./call-paths.ts";
import type { OperationStatus } from "./operation-status.ts";

/**
 * The operation Graph created for a cancelMediaProcessing request: what to match its
 * `commsNotifications` against (by `callId` and `operationId`, both normalised with `normalizeId`).
 */
export interface OperationRef<P extends CallsPath = CallsPath> {
  /** The call id, from `Location` (or the request, when Graph gave only an operation body), normalised. */
  callId: string;
  /** The operation id, from `Location` (or the operation body's `id`), normalised. */
  operationId: string;
  /** The operation's absolute URI (the `Location` header, resolved against the request URL). */
  location: string;
  /** The HTTP status Graph answered with: `202` (2018 contract) or `200` (`/communications/...`, present-day `/app/...`). */
  httpStatus: number;
  /** Graph's `request-id` response header, when present: quote it to Microsoft support. */
  requestId?: string;
  /**
   * The operation's status from a `200` body, in the documented camelCase spelling whatever casing
   * Graph sent (`"Completed"` reads `"completed"`); absent without a body, or for a `null` status.
   */
  status?: [OperationBody<P>] extends [never] ? never : OperationStatus;
  /** The operation itself, the `200` body (`/communications/...`, and `/app/...` on present-day beta), as received. */
  operation?: OperationBody<P>;
}
