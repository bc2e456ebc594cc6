import { normalizeId } from "../../core/operation-id.ts";
import { type OperationIds, parseCallId, parseOperationPath } from "../../core/operation-path.ts";
import { lowerFirst, normalizeOperationStatus } from "../../core/operation-status.ts";
import { openapiDocument } from "../../core/spec-document.ts";
import { describeValue, joinProblems, quickSpecValidator, specValidator } from "../../core/spec-validator.ts";
import { InvalidNotificationError } from "../errors.ts";
import { findForbiddenShape, hasForbiddenShape, maxBodyDepth, type ShapeProblem } from "./forbidden-keys.ts";
import type {
  ChangeType,
  CommsNotification,
  CommsNotifications,
  CommsOperation,
  OperationNotification,
  ParsedNotification,
  ResourceNotification,
} from "./notification.ts";
import { normalizeResultInfo } from "./result-info.ts";

const batchSchema = "#/components/schemas/commsNotifications";
const notificationSchema = "#/components/schemas/commsNotification";
const operationSchema = "#/components/schemas/commsOperation";
/** The spec's bound on a batch (`commsNotifications.value.maxItems`). */
const maxNotifications = openapiDocument.components.schemas.commsNotifications.properties.value.maxItems;
/** How many problems a refusal lists; it then says how many more it found. */
const maxListed = 10;

/**
 * Validates a `commsNotifications` batch (JSON text, its UTF-8 bytes, or the parsed value) against
 * the spec and returns its notifications, typed and normalised, in the 2018 shape or the current
 * one: operation notifications checked against `commsOperation`, any other as `kind: "resource"`.
 * The work is bounded by the body's size (32 levels, 1,000 notifications, ten problems described).
 *
 * @throws {InvalidNotificationError} naming the wrong field, for invalid JSON, a body that is not a
 * batch, keys such as `__proto__`, nesting deeper than 32 levels, more than 1,000 notifications,
 * or an operation notification whose data is not a `commsOperation`.
 * @example
 * const [n] = parseCommsNotifications(await request.text());
 * if (n?.kind === "operation") console.log(n.operationId, n.status); // "0fe0623f-…", "completed"
 */
export function parseCommsNotifications(body: unknown): ParsedNotification[] {
  const text = body instanceof Uint8Array ? decodeUtf8(body) : body;
  const value = typeof text === "string" ? parseJson(text) : text;
  const valid = quickSpecValidator(batchSchema)(value);
  // A batch over the length limit is refused before the walk below visits each of its notifications.
  if (!valid && isOverLong(value)) throw invalidBody(describeBatch(value));
  // A fresh JSON.parse tree has no cycles: a quick walk first, the path only when there is a problem.
  const shapeProblem =
    typeof text !== "string"
      ? findForbiddenShape(value)
      : hasForbiddenShape(value)
        ? findForbiddenShape(value)
        : undefined;
  if (shapeProblem !== undefined) throw shapeError(shapeProblem);
  if (!valid) {
    const problems = describeBatch(value);
    if (problems !== undefined) throw invalidBody(problems);
  }
  const notifications = (value as CommsNotifications).value;
  const parsed: ParsedNotification[] = [];
  for (let index = 0; index < notifications.length; index++) {
    parsed.push(parseOne(notifications[index] as CommsNotification, index));
  }
  return parsed;
}

function invalidBody(problems: string | undefined): InvalidNotificationError {
  return new InvalidNotificationError(`Invalid notification body: ${problems ?? "body is invalid"}`);
}

/** True for a batch whose `value` holds more notifications than the spec allows. */
function isOverLong(batch: unknown): boolean {
  const notifications = (batch as { value?: unknown } | null)?.value;
  return Array.isArray(notifications) && notifications.length > maxNotifications;
}

function shapeError({ at, problem }: ShapeProblem): InvalidNotificationError {
  const where = at.length > 200 ? `…${at.slice(-200)}` : at;
  const what =
    problem === "forbidden key" ? "is a forbidden key" : `is nested more than ${maxBodyDepth} levels deep`;
  return new InvalidNotificationError(`Invalid notification body: body${where} ${what}`);
}

/** Compiles the validators when a handler is created, so the first notification does not wait for ajv. */
export function warmUpParser(): void {
  for (const schema of [batchSchema, notificationSchema, operationSchema]) {
    quickSpecValidator(schema);
    specValidator(schema);
  }
}

/**
 * For a batch the quick validator refused: what is wrong with it, or `undefined` if the describing
 * validator finds it valid. Notifications are checked one at a time, described until ten problems
 * are listed and only counted after that, so the work stays bounded.
 */
function describeBatch(batch: unknown): string | undefined {
  const notifications = (batch as { value?: unknown } | null)?.value;
  if (!Array.isArray(notifications)) return listed(describeValue(batchSchema, batch, "body"));
  const problems = describeValue(batchSchema, { ...(batch as object), value: [] }, "body");
  if (isOverLong(batch)) {
    problems.push(`body/value must NOT have more than ${maxNotifications} items`);
    return listed(problems);
  }
  const quickCheck = quickSpecValidator(notificationSchema);
  let more = 0;
  for (let index = 0; index < notifications.length; index++) {
    const notification: unknown = notifications[index];
    if (quickCheck(notification)) continue;
    if (problems.length >= maxListed) more++;
    else problems.push(...describeValue(notificationSchema, notification, `body/value/${index}`));
  }
  return listed(problems, more);
}

/** The problems as one message (at most {@link maxListed}), or `undefined` when there are none. */
function listed(problems: readonly string[], more = 0): string | undefined {
  if (problems.length === 0) return undefined;
  return joinProblems(problems.slice(0, maxListed), problems.length - maxListed + more);
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
function operationNamed(notification: CommsNotification, index: number): OperationIds | undefined {
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
  path: OperationIds,
  index: number,
): OperationNotification {
  const { resourceData } = notification;
  if (typeof resourceData !== "object" || resourceData === null || Array.isArray(resourceData)) {
    throw new InvalidNotificationError(
      `Invalid notification body: body/value/${index}/resourceData must be a commsOperation object (the resource is an operation)`,
    );
  }
  if (!quickSpecValidator(operationSchema)(resourceData)) {
    const problems = listed(describeValue(operationSchema, resourceData, `body/value/${index}/resourceData`));
    if (problems !== undefined) throw invalidBody(problems);
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
  const resultInfo = normalizeResultInfo(operation.resultInfo ?? operation.errorInfo);
  if (resultInfo !== undefined) parsed.resultInfo = resultInfo;
  return parsed;
}

/** The validated `changeType` in its documented camelCase spelling (the 2018 metadata spells it PascalCase). */
function changeTypeOf(notification: CommsNotification): ChangeType {
  return lowerFirst(notification.changeType) as ChangeType;
}
