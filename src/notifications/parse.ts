import { normalizeId } from "../operation-id.ts";
import { type OperationPath, parseOperationPath } from "../operation-path.ts";
import { describeErrors, specValidator } from "../spec-validator.ts";
import { findForbiddenKey, mayHoldForbiddenKey } from "./forbidden-keys.ts";
import { InvalidNotificationError } from "./invalid-notification-error.ts";
import type {
  CommsNotification,
  CommsNotifications,
  CommsOperation,
  OperationNotification,
  ParsedNotification,
  ResourceNotification,
} from "./notification.ts";
import { normaliseResultInfo } from "./result-info.ts";

const batchSchema = "#/components/schemas/commsNotifications";
const operationSchema = "#/components/schemas/commsOperation";
const callPath = /\/calls\/([^/?#]+)/;

/**
 * Validates a `commsNotifications` batch against the spec and returns its notifications, typed and
 * normalised. `body` is the JSON text or the already parsed value. Accepts the 2018 shape
 * (`resource`, string codes, `errorInfo`) and the current one (`resourceUrl`, integer codes,
 * `resultInfo`). Operation notifications (`…/calls/{id}/operations/{id}`) are checked against
 * `commsOperation` and come back with normalised ids, status, clientContext and resultInfo; every
 * other notification of the call comes back as `kind: "resource"`, its data typed loosely.
 *
 * @throws {InvalidNotificationError} naming the wrong field, for invalid JSON, a body that is not a
 * batch, keys such as `__proto__`, or an operation notification whose data is not a `commsOperation`.
 * @example
 * const [n] = parseCommsNotifications(await request.text());
 * if (n?.kind === "operation") console.log(n.operationId, n.status); // "0fe0623f-…", "completed"
 */
export function parseCommsNotifications(body: unknown): ParsedNotification[] {
  const value = typeof body === "string" ? parseJson(body) : body;
  const mustScan = typeof body !== "string" || mayHoldForbiddenKey(body);
  const forbiddenKey = mustScan ? findForbiddenKey(value) : undefined;
  if (forbiddenKey !== undefined) {
    throw new InvalidNotificationError(`Invalid notification body: body${forbiddenKey} is a forbidden key`);
  }
  const validate = specValidator(batchSchema);
  if (!validate(value)) {
    throw new InvalidNotificationError(
      `Invalid notification body: ${describeErrors(validate.errors, "body")}`,
    );
  }
  const batch = value as CommsNotifications;
  return batch.value.map((notification, index) => parseOne(notification, `body/value/${index}`));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InvalidNotificationError(
      `Invalid notification body: not valid JSON (${(error as Error).message.slice(0, 200)})`,
      {
        cause: error,
      },
    );
  }
}

function parseOne(notification: CommsNotification, where: string): ParsedNotification {
  const resourceUrl = (notification.resourceUrl ?? notification.resource) as string;
  const operation = operationNamed(notification, where);
  const base = {
    changeType: notification.changeType,
    resourceUrl,
    raw: notification,
    ...(notification["@odata.type"] === undefined ? {} : { odataType: notification["@odata.type"] }),
  };
  if (operation) return operationNotification(base, operation, notification.resourceData, where);
  const parsed: ResourceNotification = { kind: "resource", ...base };
  const callId = callIdOf(resourceUrl);
  if (callId !== undefined) parsed.callId = callId;
  if (notification.resourceData !== undefined) parsed.resourceData = notification.resourceData;
  return parsed;
}

/** The operation the notification names, checking that `resource` and `resourceUrl` agree. */
function operationNamed(notification: CommsNotification, where: string): OperationPath | undefined {
  const fromUrl =
    notification.resourceUrl === undefined ? undefined : parseOperationPath(notification.resourceUrl);
  const fromResource =
    notification.resource === undefined ? undefined : parseOperationPath(notification.resource);
  if (
    fromUrl &&
    fromResource &&
    (fromUrl.callId !== fromResource.callId || fromUrl.operationId !== fromResource.operationId)
  ) {
    throw new InvalidNotificationError(
      `Invalid notification body: ${where}/resource and ${where}/resourceUrl name different operations`,
    );
  }
  return notification.resourceUrl === undefined ? fromResource : fromUrl;
}

function operationNotification(
  base: Omit<OperationNotification, "kind" | "callId" | "operationId" | "status" | "operation">,
  path: OperationPath,
  resourceData: CommsNotification["resourceData"],
  where: string,
): OperationNotification {
  if (typeof resourceData !== "object" || resourceData === null || Array.isArray(resourceData)) {
    throw new InvalidNotificationError(
      `Invalid notification body: ${where}/resourceData must be a commsOperation object (the resource is an operation)`,
    );
  }
  const validate = specValidator(operationSchema);
  if (!validate(resourceData)) {
    throw new InvalidNotificationError(
      `Invalid notification body: ${describeErrors(validate.errors, `${where}/resourceData`)}`,
    );
  }
  const operation = resourceData as CommsOperation;
  if (operation.id !== undefined && normalizeId(operation.id) !== path.operationId) {
    throw new InvalidNotificationError(
      `Invalid notification body: ${where}/resourceData/id does not match the operation id in the resource path`,
    );
  }
  const parsed: OperationNotification = {
    kind: "operation",
    ...base,
    callId: path.callId,
    operationId: path.operationId,
    status: operation.status,
    operation,
  };
  if (operation["@odata.type"] !== undefined) parsed.operationType = operation["@odata.type"];
  if (operation.clientContext !== undefined) parsed.clientContext = operation.clientContext;
  const resultInfo = normaliseResultInfo(operation.resultInfo ?? operation.errorInfo);
  if (resultInfo !== undefined) parsed.resultInfo = resultInfo;
  return parsed;
}

function callIdOf(resourceUrl: string): string | undefined {
  const segment = callPath.exec(resourceUrl)?.[1];
  if (segment === undefined) return undefined;
  try {
    const decoded = decodeURIComponent(segment);
    return decoded.trim() === "" ? undefined : normalizeId(decoded);
  } catch {
    return undefined;
  }
}
