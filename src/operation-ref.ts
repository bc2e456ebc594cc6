import type { CallsPath, OperationBody, OperationStatus } from "./call-paths.ts";

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
  /** The HTTP status Graph answered with: `202` on the 2018 paths, `200` on `/communications/...`. */
  httpStatus: number;
  /** Graph's `request-id` response header, when present: quote it to Microsoft support. */
  requestId?: string;
  /** The operation's status from the `200` body (`/communications/...` only). */
  status?: [OperationBody<P>] extends [never] ? never : OperationStatus;
  /** The operation itself, the `200` body (`/communications/...` only). */
  operation?: OperationBody<P>;
}
