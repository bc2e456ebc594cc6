import type { OperationIds } from "../core/operation-path.ts";
import type { Contract, SpecPath } from "./spec-operations.ts";

/** An operation the mock handlers created in answer to a successful request. */
export interface IssuedOperation extends OperationIds {
  /** The spec path template the request was sent to. */
  path: SpecPath;
  /** The spec's operationId for that path, such as `cancelMediaProcessing`. */
  specOperationId: string;
  /** `2018-beta` (2018 contract, `/app/...`) or `current` (`/communications/...`). */
  contract: Contract;
  /** The call id from the request path, as a lowercase dashed GUID when it is a GUID. */
  callId: string;
  /** The application id from the request path (`/applications/{appId}/...` only). */
  appId?: string;
  /** The new operation's id, a lowercase dashed GUID unless `operationId` option says otherwise. */
  operationId: string;
  /** The `Location` header the mock answered with. */
  location: string;
  /** The `clientContext` of the request, when it had one. */
  clientContext?: string;
  /** `/app` or `/communications`: the resource prefix of Location and notifications. */
  resourcePrefix: string;
}
