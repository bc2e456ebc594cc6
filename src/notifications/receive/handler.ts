import type { JWTPayload } from "jose";
import { checkNumber, checkRecord, checkTimeout, fail, typeOf } from "../../core/check.ts";
import { checkTelemetry, type Telemetry } from "../../core/telemetry.ts";
import {
  type CachingVerifier,
  createCachingVerifier,
  type NotificationAuthOptions,
  type VerifiedToken,
} from "../auth/verifier.ts";
import {
  BodyTooLargeError,
  InvalidNotificationError,
  NotificationAuthError,
  StoreUnavailableError,
} from "../errors.ts";
import { isFinalOperation, type ParsedNotification } from "../parse/notification.ts";
import { parseCommsNotifications, warmUpParser } from "../parse/parse.ts";
import { graphError, type ReceiverAnswer, requestIds, toResponse, withIds } from "./answers.ts";
import { bodyMediaType, decodeBody } from "./charset.ts";
import { Deadlines, expiring } from "./deadlines.ts";
import { BodyAlreadyReadError, BodyTimeoutError, readLimitedBytes } from "./read-body.ts";
import {
  type RejectionHook,
  type Reporting,
  type RequestTarget,
  refused,
  rejectionReporter,
  reporterKey,
  settled,
} from "./rejections.ts";
import { traced } from "./traced.ts";

/** Where the handler reports what its callers should know about (`console` fits). */
export interface NotificationLogger {
  /** Receives what may need attention: auth turned off, a token that could not be checked, callbacks that settled late. */
  warn(message: string, ...details: unknown[]): void;
  /** Receives failures: a callback that threw, a body a framework had already read. */
  error(message: string, ...details: unknown[]): void;
}

/** What the handler knows about the request a notification came in. */
export interface NotificationContext {
  /** The request, body already read; on the Node path built on first access (method, URL, headers), so unread it costs nothing. */
  readonly request: Request;
  /** The verified token's claims; `undefined` when auth is off. */
  readonly claims: JWTPayload | undefined;
  /** The tenant id from the verified token; `undefined` when auth is off. */
  readonly tenantId: string | undefined;
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
   * Token verification options (defaults suit Graph), or `false` to accept unsigned requests (local mocks only; logged once).
   * @default {} (on)
   */
  auth?: NotificationAuthOptions | false;
  /** Receives each notification; see {@link NotificationCallback}. */
  onNotification: NotificationCallback;
  /**
   * The largest body accepted, in bytes; larger bodies get 413.
   * @default 1048576 (1 MiB)
   */
  maxBodyBytes?: number;
  /**
   * How long the body may take once the headers are in, in ms (a slower one gets 408); `Infinity` for no limit.
   * @default 10000
   */
  bodyTimeoutMs?: number;
  /**
   * How long `onNotification` may take for a whole batch, in ms, before the handler answers 503 with `Retry-After`
   * (the callbacks keep running; their late outcome is logged). `Infinity` for no limit.
   * @default 5000
   */
  callbackTimeoutMs?: number;
  /**
   * Where warnings and callback failures are reported.
   * @default console
   */
  logger?: NotificationLogger;
  /**
   * Called for every refused request with the status, a stable reason code and a safe summary (no body, no token).
   * @default a `logger.warn` line per reason at most once a minute (none for refusals already logged in detail)
   * @example
   * onRejected: ({ status, reason, request }) => metrics.increment(`refused.${reason}`, { status, path: request.path })
   */
  onRejected?: RejectionHook;
  /**
   * Where a span per request and the `http.server.request.duration` metric go (`createTelemetry()`).
   * @default none (nothing is measured, and requests cost nothing more)
   */
  telemetry?: Telemetry;
}

/**
 * A Fetch-API handler for Graph's notification POSTs (`node:http` through {@link toNodeListener}). It answers
 * `202` when every callback returned; `400` for a body that is not a valid batch; `401` for a missing or bad
 * token; `405` for any method but POST; `408` past `bodyTimeoutMs`; `413` past `maxBodyBytes`; `415` for a
 * non-JSON or compressed body; `500` when a callback threw (the rest of the batch is still handed over, so
 * callbacks should be idempotent); `503` + `Retry-After` when the signing keys are unavailable, the callbacks
 * are late, or one threw an error marked `retryable: true`.
 */
export interface NotificationHandler {
  (request: Request): Promise<Response>;
  /** The receiver core, on handlers made by {@link createNotificationHandler}: the Node path calls it directly. */
  readonly [receiverKey]?: NotificationReceiver;
}

/** The property under which a handler carries its receiver core. */
export const receiverKey: unique symbol = Symbol("graph-comms-kit.receiver");

/** The request headers the receiver core reads. */
export type RequestHeader =
  | "authorization"
  | "content-type"
  | "content-encoding"
  | "client-request-id"
  | "scenario-id";

/** What the receiver core needs from a request: the Fetch path wraps a `Request`, the Node path an `IncomingMessage`. */
export interface IncomingNotification {
  /** The HTTP method. */
  readonly method: string;
  /** A request header's value (lowercase name), or `null`. */
  header(name: RequestHeader): string | null;
  /** The body's bytes, refused past `limitBytes` or after the deadlines' time (see read-body.ts). */
  readBody(limitBytes: number, deadlines: Deadlines | undefined): Promise<Uint8Array>;
  /** The request as a Fetch-API `Request`, for {@link NotificationContext.request}. */
  request(): Request;
  /** Where the request came from, for refusal reports: read only when one is made. */
  describe?(): RequestTarget;
}

/** The receiver core: every check and answer, at once when nothing had to be waited for, else a promise that never rejects. */
export type NotificationReceiver = ((
  incoming: IncomingNotification,
) => ReceiverAnswer | Promise<ReceiverAnswer>) &
  Reporting;

/** Retry-After (seconds) when the signing keys cannot be fetched: the key fetching backs off this long or so. */
const keysRetryAfter = "30";
/** Retry-After (seconds) when callbacks or their store are too slow or unavailable. */
const callbackRetryAfter = "5";

/**
 * Creates the handler for Graph's notification POSTs: it authenticates, reads and validates each
 * batch and hands every notification to `onNotification` (what it answers: {@link NotificationHandler}).
 *
 * @example
 * import http from "node:http";
 * import { createNotificationHandler, createOperationTracker, toNodeListener } from "graph-comms-kit/notifications";
 *
 * const tracker = createOperationTracker();
 * const handle = createNotificationHandler({ appId: "<bot app id>", onNotification: tracker.handle });
 * http.createServer(toNodeListener(handle)).listen(3978, "127.0.0.1");
 */
export function createNotificationHandler(options: NotificationHandlerOptions): NotificationHandler {
  const receive = createReceiver(options);
  const handler = async (request: Request) => {
    const incoming = new FetchIncoming(request);
    return toResponse(settled(receive, await receive(incoming), incoming));
  };
  return Object.assign(handler, { [receiverKey]: receive });
}

/** A Fetch-API request as the receiver core reads it (a class: no closures per request). */
class FetchIncoming implements IncomingNotification {
  readonly method: string;
  readonly #request: Request;

  constructor(request: Request) {
    this.#request = request;
    this.method = request.method;
  }

  header(name: RequestHeader): string | null {
    return this.#request.headers.get(name);
  }

  readBody(limitBytes: number, deadlines: Deadlines | undefined): Promise<Uint8Array> {
    return readLimitedBytes(this.#request, limitBytes, deadlines);
  }

  request(): Request {
    return this.#request;
  }

  describe(): RequestTarget {
    const url = URL.canParse(this.#request.url) ? new URL(this.#request.url) : undefined;
    return {
      path: url?.pathname ?? "",
      scheme: url?.protocol.slice(0, -1) ?? "http",
      contentLength: this.#request.headers.get("content-length"),
      remoteAddress: undefined,
    };
  }
}

/** The checks and answers shared by the Fetch and the Node paths. */
function createReceiver(options: NotificationHandlerOptions): NotificationReceiver {
  const settings = readOptions(options);
  const { logger, verifier } = settings;
  if (!verifier) {
    logger.warn("notification handler: auth is off (auth: false); requests are not authenticated");
  }
  // The keys are fetched now, so the first notification does not wait for them after a cold start.
  verifier?.prefetch();
  warmUpParser();
  const reporter = rejectionReporter(settings.onRejected, logger);

  const receive = (incoming: IncomingNotification): ReceiverAnswer | Promise<ReceiverAnswer> => {
    const answer = answerRequest(incoming);
    const ids = requestIds(incoming);
    if (ids === undefined) return answer;
    return answer instanceof Promise ? answer.then((ready) => withIds(ready, ids)) : withIds(answer, ids);
  };
  // Plain promise chains and no wait where nothing needs one: each promise layer costs the Node path time.
  const answerRequest = (incoming: IncomingNotification): ReceiverAnswer | Promise<ReceiverAnswer> => {
    if (incoming.method !== "POST") {
      return refused(
        "method-not-allowed",
        graphError(405, "MethodNotAllowed", `${incoming.method} is not allowed; use POST`, {
          allow: "POST",
        }),
      );
    }
    if (!verifier) return receiveBody(incoming, undefined, settings);
    let verified: VerifiedToken | Promise<VerifiedToken>;
    try {
      verified = verifier.verifyNow(incoming.header("authorization"));
    } catch (error) {
      return refuseToken(error, logger);
    }
    // Graph sends one token with many notifications: a cached verification comes without a promise.
    if (!(verified instanceof Promise)) return receiveBody(incoming, verified, settings);
    return verified.then(
      (token) => receiveBody(incoming, token, settings),
      (error: unknown) => refuseToken(error, logger),
    );
  };
  const { telemetry } = settings;
  return Object.assign(telemetry ? traced(receive, telemetry) : receive, { [reporterKey]: reporter });
}

/** Checks the body's headers, reads it, and hands its notifications over; every refusal an answer. */
function receiveBody(
  incoming: IncomingNotification,
  token: VerifiedToken | undefined,
  settings: Settings,
): ReceiverAnswer | Promise<ReceiverAnswer> {
  const mediaType = bodyMediaType(incoming.header("content-type"));
  if (!mediaType.ok) return unsupported(mediaType.problem);
  const encoding = incoming.header("content-encoding");
  if (encoding !== null && encoding.trim().toLowerCase() !== "identity") {
    return unsupported(`Content-Encoding ${encoding} is not supported`);
  }
  return incoming.readBody(settings.maxBodyBytes, settings.bodyDeadlines).then(
    (bytes) => {
      let notifications: ParsedNotification[];
      try {
        // The parser decodes UTF-8 bytes itself, so invalid UTF-8 gets its precise 400.
        notifications = parseCommsNotifications(decodeBody(bytes, mediaType.encoding));
      } catch (error) {
        return bodyRefusal(error, settings);
      }
      return handOverWithin(notifications, new Context(incoming, token?.claims, token?.tenantId), settings);
    },
    (error: unknown) => bodyRefusal(error, settings),
  );
}

function unsupported(problem: string): ReceiverAnswer {
  return refused("unsupported-media-type", graphError(415, "UnsupportedMediaType", problem));
}

/**
 * The {@link NotificationContext} of one request, its `request` built on first access; a class because V8 gives
 * every object literal with a getter a map of its own, which costs the Node path dearly in garbage collection.
 */
class Context implements NotificationContext {
  #request: Request | undefined;
  readonly #incoming: IncomingNotification;

  constructor(
    incoming: IncomingNotification,
    readonly claims: JWTPayload | undefined,
    readonly tenantId: string | undefined,
  ) {
    this.#incoming = incoming;
  }

  get request(): Request {
    this.#request ??= this.#incoming.request();
    return this.#request;
  }
}

interface Settings {
  onNotification: NotificationCallback;
  logger: NotificationLogger;
  maxBodyBytes: number;
  /** The body deadlines (`bodyTimeoutMs`), or `undefined` for no limit. */
  bodyDeadlines: Deadlines | undefined;
  /** The callback deadlines (`callbackTimeoutMs`), or `undefined` for no limit. */
  callbackDeadlines: Deadlines | undefined;
  verifier: CachingVerifier | undefined;
  onRejected: RejectionHook | undefined;
  telemetry: Telemetry | undefined;
  /** One log line per store outage: cleared when a batch with a final operation (what a tracker stores) is accepted. */
  outage: { logged: boolean };
}

/** The 400/408/413/500 answer to a body that could not be read or is not a valid batch. */
function bodyRefusal(error: unknown, settings: Settings): ReceiverAnswer {
  if (error instanceof BodyTooLargeError) {
    return refused("body-too-large", graphError(413, "RequestEntityTooLarge", error.message));
  }
  if (error instanceof InvalidNotificationError) {
    return refused("invalid-body", graphError(400, "BadRequest", error.message));
  }
  if (error instanceof BodyTimeoutError) {
    return refused("body-timeout", graphError(408, "RequestTimeout", error.message));
  }
  if (error instanceof BodyAlreadyReadError) {
    settings.logger.error(
      `notification handler: the request body was read before the handler saw it (${error.message}). ` +
        "Mount the handler before any body parser (e.g. before app.use(express.json())), or give it the raw bytes: " +
        'express.raw({ type: "application/json" }) on its route sets req.body to a Buffer it accepts; ' +
        "in Fastify, add a content-type parser with parseAs: 'buffer' and set request.raw.body to that buffer.",
    );
    return refused(
      "body-already-read",
      graphError(
        500,
        "InternalServerError",
        "The notification body was consumed before it reached the handler",
      ),
    );
  }
  const why = error instanceof Error ? error.message : String(error);
  return refused("unreadable-body", graphError(400, "BadRequest", `Could not read the body: ${why}`));
}

/** What the hand-over of a batch came to. */
interface HandOverOutcome {
  /** How many callbacks threw. */
  failed: number;
  /** How many of those threw an error marked `retryable: true` (a store that is down, say). */
  retryable: number;
}

/** Hands the batch over, answering 503 past `callbackTimeoutMs` so a callback that never settles cannot hold the socket. */
function handOverWithin(
  notifications: readonly ParsedNotification[],
  context: NotificationContext,
  settings: Settings,
): ReceiverAnswer | Promise<ReceiverAnswer> {
  const { logger, callbackDeadlines } = settings;
  const handing = handOver(notifications, context, settings, 0, { failed: 0, retryable: 0 });
  // Callbacks that all returned without a promise are done: no deadline to keep.
  if (!(handing instanceof Promise)) return answerFor(handing, notifications, settings);
  if (callbackDeadlines === undefined) {
    return handing.then((outcome) => answerFor(outcome, notifications, settings));
  }
  // One promise, settled by the outcome or by the deadline, whichever comes first (see createReceiver).
  const started = Date.now();
  return new Promise((resolve) => {
    let late = false;
    const deadline = expiring(() => {
      late = true;
      resolve(
        refused(
          "callback-timeout",
          graphError(
            503,
            "ServiceUnavailable",
            `The notifications were not processed within ${callbackDeadlines.ms} ms; retry later`,
            { "retry-after": callbackRetryAfter },
          ),
        ),
      );
    });
    callbackDeadlines.add(deadline);
    void handing.then((outcome) => {
      if (!late) {
        callbackDeadlines.cancel(deadline);
        resolve(answerFor(outcome, notifications, settings));
        return;
      }
      logger.warn(
        `notification handler: the callbacks for a batch of ${notifications.length} settled ${Date.now() - started} ms ` +
          `after it arrived, past callbackTimeoutMs (answered 503); ${outcome.failed} of them failed`,
      );
    });
  });
}

/** The answer to a batch whose callbacks have all settled: 202, or 503/500 when some failed. */
function answerFor(
  outcome: HandOverOutcome,
  notifications: readonly ParsedNotification[],
  settings: Settings,
): ReceiverAnswer {
  if (outcome.retryable > 0) {
    return refused(
      "callback-unavailable",
      graphError(
        503,
        "ServiceUnavailable",
        `${outcome.retryable} of ${notifications.length} notifications could not be processed for now; retry later`,
        { "retry-after": callbackRetryAfter },
      ),
    );
  }
  if (outcome.failed > 0) {
    return refused(
      "callback-failed",
      graphError(
        500,
        "InternalServerError",
        `${outcome.failed} of ${notifications.length} notifications could not be processed`,
      ),
    );
  }
  if (settings.outage.logged && notifications.some(isFinalOperation)) settings.outage.logged = false;
  return { status: 202, count: notifications.length };
}

/**
 * Calls back once per notification from `start`, in order, awaiting each promise a callback returns; the
 * outcome at once when none returned one. Never rejects.
 */
function handOver(
  notifications: readonly ParsedNotification[],
  context: NotificationContext,
  settings: Settings,
  start: number,
  outcome: HandOverOutcome,
): HandOverOutcome | Promise<HandOverOutcome> {
  for (let i = start; i < notifications.length; i++) {
    const notification = notifications[i] as ParsedNotification;
    try {
      const result = settings.onNotification(notification, context);
      if (isThenable(result)) {
        return Promise.resolve(result).then(
          () => handOver(notifications, context, settings, i + 1, outcome),
          (error: unknown) => {
            noteFailure(error, notification, outcome, settings);
            return handOver(notifications, context, settings, i + 1, outcome);
          },
        );
      }
    } catch (error) {
      noteFailure(error, notification, outcome, settings);
    }
  }
  return outcome;
}

/** True for a value `await` would wait for. */
function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === "function";
}

/** Counts a callback's failure and logs it (a store outage once, until the store is back). */
function noteFailure(
  error: unknown,
  notification: ParsedNotification,
  outcome: HandOverOutcome,
  { logger, outage }: Settings,
): void {
  outcome.failed++;
  if ((error as { retryable?: unknown } | null)?.retryable === true) outcome.retryable++;
  if (error instanceof StoreUnavailableError) {
    if (outage.logged) return;
    outage.logged = true;
    logger.error(
      "notification handler: the operation store is unavailable; answering 503 until it is back",
      error,
    );
    return;
  }
  logger.error(`notification handler: onNotification threw for ${notification.resourceUrl}`, error);
}

/** 401 for a bad token; 503 when the keys to check it with cannot be fetched. */
function refuseToken(error: unknown, logger: NotificationLogger): ReceiverAnswer {
  const auth = error instanceof NotificationAuthError ? error : undefined;
  if (auth?.failure === "keys-unavailable") {
    // The verifier logs the outage once with its detail; the answer carries none.
    return refused(
      "keys-unavailable",
      graphError(
        503,
        "ServiceUnavailable",
        "The signing keys needed to verify the token are unavailable; retry later",
        { "retry-after": keysRetryAfter },
      ),
    );
  }
  if (!auth) logger.warn("notification handler: could not verify a token", error);
  const message = auth?.message ?? "token could not be verified";
  return refused(
    auth?.failure === "missing-token" ? "missing-token" : "bad-token",
    graphError(401, "InvalidAuthenticationToken", message, { "www-authenticate": "Bearer" }),
  );
}

const optionKeys = [
  "appId",
  "auth",
  "onNotification",
  "maxBodyBytes",
  "bodyTimeoutMs",
  "callbackTimeoutMs",
  "logger",
  "onRejected",
  "telemetry",
];

/** A queue of deadlines `ms` long, or none for no limit. */
function deadlinesOf(ms: number | undefined): Deadlines | undefined {
  return ms === undefined ? undefined : new Deadlines(ms);
}

function readOptions(input: NotificationHandlerOptions): Settings {
  const options = checkRecord("options", input, optionKeys) as Partial<NotificationHandlerOptions>;
  if (typeof options.onNotification !== "function") fail("options.onNotification", "must be a function");
  const maxBodyBytes = checkNumber("options.maxBodyBytes", options.maxBodyBytes ?? 1024 * 1024, 1, true);
  const logger = options.logger ?? console;
  if (typeof logger?.warn !== "function" || typeof logger.error !== "function") {
    fail("options.logger", "must have warn and error methods");
  }
  if (options.auth !== false && options.auth !== undefined && typeOf(options.auth) !== "object") {
    fail("options.auth", "must be an options object or false");
  }
  if (options.onRejected !== undefined && typeof options.onRejected !== "function") {
    fail("options.onRejected", "must be a function");
  }
  if (typeof options.appId !== "string" || options.appId.trim() === "") {
    fail("options.appId", "must be a non-empty string");
  }
  // The verifier reports key outages through the handler's logger unless auth names its own.
  const verifier =
    options.auth === false
      ? undefined
      : createCachingVerifier(options.appId, { logger, ...(options.auth ?? {}) });
  return {
    onNotification: options.onNotification,
    logger,
    maxBodyBytes,
    bodyDeadlines: deadlinesOf(checkTimeout("options.bodyTimeoutMs", options.bodyTimeoutMs ?? 10_000)),
    callbackDeadlines: deadlinesOf(
      checkTimeout("options.callbackTimeoutMs", options.callbackTimeoutMs ?? 5_000),
    ),
    verifier,
    onRejected: options.onRejected,
    telemetry: checkTelemetry("options.telemetry", options.telemetry),
    outage: { logged: false },
  };
}
