import type { JWTPayload } from "jose";
import {
  createNotificationVerifier,
  type NotificationAuthOptions,
  type NotificationVerifier,
} from "./auth.ts";
import { type BodyEncoding, bodyMediaType, decodeBody } from "./charset.ts";
import {
  BodyTooLargeError,
  InvalidNotificationError,
  NotificationAuthError,
  StoreUnavailableError,
} from "./errors.ts";
import { graphErrorResponse } from "./graph-error-response.ts";
import type { ParsedNotification } from "./notification.ts";
import { parseCommsNotifications, warmUpParser } from "./parse.ts";
import { readLimitedBytes } from "./read-body.ts";
import { isFinalOperation } from "./tracker.ts";

/** Seconds a sender is asked to wait before delivering again while the operation store is unreachable. */
const storeRetryAfterSeconds = 5;

/** Where the handler reports what its callers should know about. Default: `console`. */
export interface NotificationLogger {
  warn(message: string, ...details: unknown[]): void;
  error(message: string, ...details: unknown[]): void;
}

/** What the handler knows about the request a notification came in. */
export interface NotificationContext {
  /** The request (its body already read). */
  request: Request;
  /** The verified token's claims; `undefined` when auth is off. */
  claims: JWTPayload | undefined;
  /** The tenant id from the verified token; `undefined` when auth is off. */
  tenantId: string | undefined;
}

/** Called once for each notification of an accepted batch, in batch order. May be async. */
export type NotificationCallback = (
  notification: ParsedNotification,
  context: NotificationContext,
) => unknown;

/** Options of {@link createNotificationHandler}. */
export interface NotificationHandlerOptions {
  /** The bot's application (client) id: the audience the tokens must carry. */
  appId: string;
  /**
   * Token verification options (defaults suit Graph), or `false` to accept unsigned requests: for
   * local mocks only; the handler logs a warning once when created this way. Default `{}` (on).
   */
  auth?: NotificationAuthOptions | false;
  /** Receives each notification; see {@link NotificationCallback}. */
  onNotification: NotificationCallback;
  /** The largest body accepted, in bytes; larger bodies get 413. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Where warnings and callback failures are reported. Default `console`. */
  logger?: NotificationLogger;
}

/** A Fetch-API request handler: works with any server that speaks `Request`/`Response`. */
export type NotificationHandler = (request: Request) => Promise<Response>;

/**
 * Creates the handler for Graph's notification POSTs. It answers
 * `202` when the batch was accepted and every callback returned;
 * `400` for a body that is not JSON or not a valid batch (Graph's error shape, naming the field);
 * `401` for a missing or bad token; `405` for any method but POST; `413` for a body over
 * `maxBodyBytes` (refused while reading); `415` for a content type that is not JSON (or a compressed body);
 * `500` when a callback threw: every other notification of the batch is still handed over, the
 * failure is logged, and the 500 lets the sender retry (so callbacks should be idempotent, as the
 * operation tracker is); `503` with `Retry-After` when a callback threw `StoreUnavailableError`
 * (the tracker's store is unreachable), logged once per outage.
 *
 * @example
 * const tracker = createOperationTracker();
 * const handle = createNotificationHandler({ appId, onNotification: tracker.handle });
 * http.createServer(toNodeListener(handle)).listen(3978);
 */
export function createNotificationHandler(options: NotificationHandlerOptions): NotificationHandler {
  const settings = readOptions(options);
  const { onNotification, logger, maxBodyBytes, verifier } = settings;
  if (!verifier) {
    logger.warn("notification handler: auth is off (auth: false); requests are not authenticated");
  }
  warmUpParser();
  // One log line per store outage: set when a StoreUnavailableError is logged, cleared when a batch
  // with a final operation notification (what a tracker stores) is accepted: the store is back.
  const outage = { logged: false };

  return async (request) => {
    if (request.method !== "POST") {
      return graphErrorResponse(405, "MethodNotAllowed", `${request.method} is not allowed; use POST`, {
        allow: "POST",
      });
    }
    let claims: JWTPayload | undefined;
    let tenantId: string | undefined;
    if (verifier) {
      try {
        ({ claims, tenantId } = await verifier.verify(request.headers.get("authorization")));
      } catch (error) {
        return unauthorized(error, logger);
      }
    }
    const mediaType = bodyMediaType(request.headers.get("content-type"));
    if (!mediaType.ok) return graphErrorResponse(415, "UnsupportedMediaType", mediaType.problem);
    const encoding = request.headers.get("content-encoding");
    if (encoding !== null && encoding.trim().toLowerCase() !== "identity") {
      return graphErrorResponse(415, "UnsupportedMediaType", `Content-Encoding ${encoding} is not supported`);
    }
    const notifications = await readNotifications(request, maxBodyBytes, mediaType.encoding);
    if (notifications instanceof Response) return notifications;
    const { failed, unavailable } = await handOver(
      notifications,
      { request, claims, tenantId },
      onNotification,
      logger,
      outage,
    );
    if (unavailable) {
      return graphErrorResponse(
        503,
        "ServiceUnavailable",
        `Notifications cannot be stored now: ${unavailable.message}`,
        {
          "retry-after": String(storeRetryAfterSeconds),
        },
      );
    }
    if (failed > 0) {
      return graphErrorResponse(
        500,
        "InternalServerError",
        `${failed} of ${notifications.length} notifications could not be processed`,
      );
    }
    if (outage.logged && notifications.some(isFinalOperation)) outage.logged = false;
    return new Response(null, { status: 202 });
  };
}

/** The parsed batch, or the 400/413 response that refuses it. */
async function readNotifications(
  request: Request,
  maxBodyBytes: number,
  encoding: BodyEncoding,
): Promise<ParsedNotification[] | Response> {
  try {
    // The parser decodes UTF-8 bytes itself, so invalid UTF-8 gets its precise 400.
    return parseCommsNotifications(decodeBody(await readLimitedBytes(request, maxBodyBytes), encoding));
  } catch (error) {
    if (error instanceof BodyTooLargeError)
      return graphErrorResponse(413, "RequestEntityTooLarge", error.message);
    if (error instanceof InvalidNotificationError)
      return graphErrorResponse(400, "BadRequest", error.message);
    const why = error instanceof Error ? error.message : String(error);
    return graphErrorResponse(400, "BadRequest", `Could not read the body: ${why}`);
  }
}

/**
 * Calls back once per notification, in order, whatever earlier calls did; returns how many threw,
 * and the first `StoreUnavailableError` (logged only when `outage` was not logged yet).
 */
async function handOver(
  notifications: readonly ParsedNotification[],
  context: NotificationContext,
  onNotification: NotificationCallback,
  logger: NotificationLogger,
  outage: { logged: boolean },
): Promise<{ failed: number; unavailable: StoreUnavailableError | undefined }> {
  let failed = 0;
  let unavailable: StoreUnavailableError | undefined;
  for (const notification of notifications) {
    try {
      await onNotification(notification, context);
    } catch (error) {
      failed++;
      if (error instanceof StoreUnavailableError) {
        unavailable ??= error;
        if (outage.logged) continue;
        outage.logged = true;
        logger.error(
          "notification handler: the operation store is unavailable; answering 503 until it is back",
          error,
        );
        continue;
      }
      logger.error(`notification handler: onNotification threw for ${notification.resourceUrl}`, error);
    }
  }
  return { failed, unavailable };
}

function unauthorized(error: unknown, logger: NotificationLogger): Response {
  const auth = error instanceof NotificationAuthError ? error : undefined;
  if (!auth || auth.failure === "keys-unavailable") {
    logger.warn("notification handler: could not verify a token", error);
  }
  const message = auth?.message ?? "token could not be verified";
  return graphErrorResponse(401, "InvalidAuthenticationToken", message, { "www-authenticate": "Bearer" });
}

function readOptions(options: NotificationHandlerOptions): {
  onNotification: NotificationCallback;
  logger: NotificationLogger;
  maxBodyBytes: number;
  verifier: NotificationVerifier | undefined;
} {
  if (typeof options !== "object" || options === null) {
    throw new TypeError("createNotificationHandler needs options");
  }
  if (typeof options.onNotification !== "function") throw new TypeError("onNotification must be a function");
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes <= 0) {
    throw new TypeError(`maxBodyBytes must be a positive integer, got ${String(options.maxBodyBytes)}`);
  }
  const logger = options.logger ?? console;
  if (typeof logger.warn !== "function" || typeof logger.error !== "function") {
    throw new TypeError("logger must have warn and error methods");
  }
  if (
    options.auth !== false &&
    options.auth !== undefined &&
    (typeof options.auth !== "object" || options.auth === null)
  ) {
    throw new TypeError("auth must be an options object or false");
  }
  if (typeof options.appId !== "string" || options.appId.trim() === "") {
    throw new TypeError("appId must be a non-empty string");
  }
  const verifier =
    options.auth === false ? undefined : createNotificationVerifier(options.appId, options.auth ?? {});
  return { onNotification: options.onNotification, logger, maxBodyBytes, verifier };
}
