import { normalizeId } from "../core/operation-id.ts";
import { type OperationPath, parseCallId, parseOperationPath } from "../core/operation-path.ts";
import { lowerFirst, normalizeOperationStatus } from "../core/operation-status.ts";
import { describeErrors, quickSpecValidator, specValidator } from "../core/spec-validator.ts";
import { InvalidNotificationError } from "./errors.ts";
import { findForbiddenKey, hasForbiddenKey } from "./forbidden-keys.ts";
import type {
  ChangeType,
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

/**
 * Validates a `commsNotifications` batch against the spec and returns its notifications, typed and
 * normalised. `body` is the JSON text, its UTF-8 bytes (a `Buffer` or `Uint8Array`), or the already
 * parsed value. Accepts the 2018 shape
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
  const text = body instanceof Uint8Array ? decodeUtf8(body) : body;
  let value: unknown;
  let forbiddenKey: string | undefined;
  if (typeof text === "string") {
    value = parseJson(text);
    // A fresh JSON.parse tree has no cycles: a quick walk first, the path only when there is one.
    if (hasForbiddenKey(value)) forbiddenKey = findForbiddenKey(value);
  } else {
    value = text;
    forbiddenKey = findForbiddenKey(value);
  }
  if (forbiddenKey !== undefined) {
    const where = forbiddenKey.length > 200 ? `…${forbiddenKey.slice(-200)}` : forbiddenKey;
    throw new InvalidNotificationError(`Invalid notification body: body${where} is a forbidden key`);
  }
  if (!quickSpecValidator(batchSchema)(value)) checkSchema(batchSchema, value, "body");
  const notifications = (value as CommsNotifications).value;
  const parsed: ParsedNotification[] = [];
  for (let index = 0; index < notifications.length; index++) {
    parsed.push(parseOne(notifications[index] as CommsNotification, index));
  }
  return parsed;
}

/**
 * Compiles the validators now rather than on the first notification (ajv compiles in tens of ms).
 *
 * @example
 * warmUpParser(); // at startup
 */
export function warmUpParser(): void {
  for (const schema of [batchSchema, operationSchema]) {
    quickSpecValidator(schema);
    specValidator(schema);
  }
}

/**
 * For a value the quick validator refused: the validator that lists every problem decides, and
 * says which fields are wrong. Most valid values never get here.
 */
function checkSchema(schema: string, value: unknown, root: string): void {
  const validate = specValidator(schema);
  if (validate(value)) return;
  throw new InvalidNotificationError(`Invalid notification body: ${describeErrors(validate.errors, root)}`);
}

/** Fatal: invalid UTF-8 throws instead of becoming U+FFFD. Stateless between calls (no `stream`). */
const utf8 = new TextDecoder("utf-8", { fatal: true });

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch (error) {
    throw new InvalidNotificationError("Invalid notification body: not valid UTF-8", { cause: error });
  }
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

/** `index` names the notification in error messages (`body/value/{index}`), built only on error. */
function parseOne(notification: CommsNotification, index: number): ParsedNotification {
  const resourceUrl = (notification.resourceUrl ?? notification.resource) as string;
  const path = operationNamed(notification, index);
  // A list under an operation path is not an operation: Graph's participant-invite page prints a
  // roster update at `…/operations/participants` with an array of participants as its data.
  if (path && !Array.isArray(notification.resourceData)) {
    return operationNotification(notification, resourceUrl, path, index);
  }
  const parsed: ResourceNotification = {
    kind: "resource",
    changeType: changeTypeOf(notification),
    resourceUrl,
    raw: notification,
  };
  if (notification["@odata.type"] !== undefined) parsed.odataType = notification["@odata.type"];
  const callId = parseCallId(resourceUrl);
  if (callId !== undefined) parsed.callId = callId;
  if (notification.resourceData !== undefined) parsed.resourceData = notification.resourceData;
  return parsed;
}

/** The operation the notification names, checking that `resource` and `resourceUrl` agree. */
function operationNamed(notification: CommsNotification, index: number): OperationPath | undefined {
  const { resource, resourceUrl } = notification;
  if (resourceUrl === undefined) return resource === undefined ? undefined : parseOperationPath(resource);
  const fromUrl = parseOperationPath(resourceUrl);
  if (resource === undefined || resource === resourceUrl || !fromUrl) return fromUrl;
  const fromResource = parseOperationPath(resource);
  if (
    fromResource &&
    (fromUrl.callId !== fromResource.callId || fromUrl.operationId !== fromResource.operationId)
  ) {
    const where = `body/value/${index}`;
    throw new InvalidNotificationError(
      `Invalid notification body: ${where}/resource and ${where}/resourceUrl name different operations`,
    );
  }
  return fromUrl;
}

function operationNotification(
  notification: CommsNotification,
  resourceUrl: string,
  path: OperationPath,
  index: number,
): OperationNotification {
  const { resourceData } = notification;
  if (typeof resourceData !== "object" || resourceData === null || Array.isArray(resourceData)) {
    throw new InvalidNotificationError(
      `Invalid notification body: body/value/${index}/resourceData must be a commsOperation object (the resource is an operation)`,
    );
  }
  if (!quickSpecValidator(operationSchema)(resourceData)) {
    checkSchema(operationSchema, resourceData, `body/value/${index}/resourceData`);
  }
  const operation = resourceData as CommsOperation;
  if (
    typeof operation.id === "string" &&
    operation.id !== path.operationId &&
    normalizeId(operation.id) !== path.operationId
  ) {
    throw new InvalidNotificationError(
      `Invalid notification body: body/value/${index}/resourceData/id does not match the operation id in the resource path`,
    );
  }
  const parsed: OperationNotification = {
    kind: "operation",
    changeType: changeTypeOf(notification),
    resourceUrl,
    raw: notification,
    callId: path.callId,
    operationId: path.operationId,
    operation,
  };
  // Validated already: a status is one of the spec's spellings, or null/absent ("not known yet").
  const status = normalizeOperationStatus(operation.status);
  if (status !== undefined) parsed.status = status;
  if (notification["@odata.type"] !== undefined) parsed.odataType = notification["@odata.type"];
  if (operation["@odata.type"] !== undefined) parsed.operationType = operation["@odata.type"];
  if (typeof operation.clientContext === "string") parsed.clientContext = operation.clientContext;
  const resultInfo = normaliseResultInfo(operation.resultInfo ?? operation.errorInfo);
  if (resultInfo !== undefined) parsed.resultInfo = resultInfo;
  return parsed;
}

/** The validated `changeType` in its documented camelCase spelling (the 2018 metadata spells it PascalCase). */
function changeTypeOf(notification: CommsNotification): ChangeType {
  return lowerFirst(notification.changeType) as ChangeType;
}
