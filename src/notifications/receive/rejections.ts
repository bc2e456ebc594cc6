import { decodeJwt, decodeProtectedHeader } from "jose";
import type { ReceiverAnswer } from "./answers.ts";

/**
 * Why the handler refused a request: `method-not-allowed` 405; `missing-token`, `bad-token` 401; `keys-unavailable` 503;
 * `unsupported-media-type` 415; `body-too-large` 413; `body-timeout` 408; `invalid-body`, `unreadable-body` 400;
 * `body-already-read` 500 (a body parser ran first); `callback-failed` 500; `callback-unavailable` 503 (a `retryable`
 * error); `callback-timeout` 503; `internal-error` 500.
 */
export type RejectionReason =
  | "method-not-allowed"
  | "missing-token"
  | "bad-token"
  | "keys-unavailable"
  | "unsupported-media-type"
  | "body-too-large"
  | "body-timeout"
  | "invalid-body"
  | "unreadable-body"
  | "body-already-read"
  | "callback-failed"
  | "callback-unavailable"
  | "callback-timeout"
  | "internal-error";

/** What can be read of a bearer token without verifying it; never the token itself. */
export interface TokenSummary {
  alg?: string;
  /** The `kid` of the token's header: which signing key it names. */
  kid?: string;
  iss?: string;
  /** The audience claim (several joined with `, `). */
  aud?: string;
}

/** A safe summary of a refused request: no body, no token. Values are cut to 200 characters. */
export interface RequestSummary {
  method: string;
  /** The URL path, without the query. */
  path: string;
  contentType?: string;
  contentLength?: string;
  /** The bearer token's header and claims as far as they can be decoded, if a token was sent. */
  token?: TokenSummary;
  /** The peer's address, on the Node path. */
  remoteAddress?: string;
}

/** A refused request, as {@link NotificationHandlerOptions.onRejected} receives it. */
export interface NotificationRejection {
  /** The HTTP status answered. */
  status: number;
  /** Why, as a stable code. */
  reason: RejectionReason;
  /** The message of the error answered to the sender. */
  message: string;
  request: RequestSummary;
}

/** Called for every request the handler refuses; may not throw (a throw is logged, the answer stands). */
export type RejectionHook = (rejection: NotificationRejection) => unknown;

/** Where a request came from, read only when needed (a refusal, or telemetry). */
export interface RequestTarget {
  /** The URL path, without the query. */
  path: string;
  /** `http` or `https`. */
  scheme: string;
  /** The `Content-Length` header, or `null`. */
  contentLength: string | null;
  /** The peer's address, when the server knows it. */
  remoteAddress: string | undefined;
}

/** What the rejection reporter reads of a request. */
export interface DescribedRequest {
  readonly method: string;
  header(name: "authorization" | "content-type"): string | null;
  describe?(): RequestTarget;
}

/** Logs refusals or hands them to the hook (see {@link rejectionReporter}). */
export type RejectionReporter = (answer: ReceiverAnswer, incoming: DescribedRequest) => void;

/** The property under which a receiver core carries its rejection reporter. */
export const reporterKey: unique symbol = Symbol("graph-comms-kit.rejections");

/** Something that may carry a rejection reporter (a receiver core). */
export interface Reporting {
  readonly [reporterKey]?: RejectionReporter;
}

/** Marks `answer` as a refusal for `reason`. */
export function refused(reason: RejectionReason, answer: ReceiverAnswer): ReceiverAnswer {
  answer.reason = reason;
  return answer;
}

/** Reports `answer` if it is a refusal; returns it. Costs one property read for an accepted batch. */
export function settled(
  receiver: Reporting,
  answer: ReceiverAnswer,
  incoming: DescribedRequest,
): ReceiverAnswer {
  if (answer.reason !== undefined) receiver[reporterKey]?.(answer, incoming);
  return answer;
}

/** How long the default log stays quiet about a reason after a line about it. */
export const logIntervalMs = 60_000;

interface Logger {
  warn(message: string, ...details: unknown[]): void;
  error(message: string, ...details: unknown[]): void;
}

/** Hands each {@link NotificationRejection} to `hook`, or logs it at most once per reason per {@link logIntervalMs}. */
export function rejectionReporter(
  hook: RejectionHook | undefined,
  logger: Logger,
  now: () => number = Date.now,
): RejectionReporter {
  const report = hook ?? rateLimitedLog(logger, now);
  return (answer, incoming) => {
    try {
      const result = report({
        status: answer.status,
        reason: answer.reason ?? "internal-error",
        message: answer.error?.error.message ?? "",
        request: summarize(incoming),
      });
      // An async hook's failure must not become an unhandled rejection.
      if (typeof (result as PromiseLike<unknown> | undefined)?.then === "function") {
        (result as PromiseLike<unknown>).then(undefined, (error: unknown) => hookFailed(logger, error));
      }
    } catch (error) {
      hookFailed(logger, error);
    }
  };
}

function hookFailed(logger: Logger, error: unknown): void {
  logger.error("notification handler: onRejected threw; the answer was sent all the same", error);
}

/** Refusals the handler or its verifier already log with their detail: the default log skips them. */
const loggedElsewhere: ReadonlySet<RejectionReason> = new Set([
  "keys-unavailable",
  "body-already-read",
  "callback-failed",
  "callback-unavailable",
  "callback-timeout",
]);

/** One log line per reason, then silence for {@link logIntervalMs}; the next line counts what was not logged. */
function rateLimitedLog(logger: Logger, now: () => number): RejectionHook {
  const quiet = new Map<RejectionReason, { until: number; suppressed: number }>();
  return ({ status, reason, message, request }) => {
    if (loggedElsewhere.has(reason)) return;
    const time = now();
    const last = quiet.get(reason);
    if (last !== undefined && time < last.until) {
      last.suppressed++;
      return;
    }
    quiet.set(reason, { until: time + logIntervalMs, suppressed: 0 });
    const more = last?.suppressed
      ? ` (${last.suppressed} more refused for ${reason} since the last line about it)`
      : "";
    logger.warn(
      `notification handler: refused ${request.method} ${request.path} with ${status} ${reason}: ${message}${more}; ` +
        `at most one line per reason per minute (pass onRejected to see each)`,
      request,
    );
  };
}

/** The safe summary of a request: headers and token claims cut short, never the token or the body. */
function summarize(incoming: DescribedRequest): RequestSummary {
  const target = incoming.describe?.();
  const summary: RequestSummary = { method: clip(incoming.method), path: clip(target?.path ?? "") };
  const contentType = incoming.header("content-type");
  if (contentType !== null) summary.contentType = clip(contentType);
  if (target?.contentLength != null) summary.contentLength = clip(target.contentLength);
  const token = summarizeToken(incoming.header("authorization"));
  if (token) summary.token = token;
  if (target?.remoteAddress) summary.remoteAddress = target.remoteAddress;
  return summary;
}

/** The token's `alg`, `kid`, `iss` and `aud` as far as they decode (unverified: for diagnosis only). */
function summarizeToken(authorization: string | null): TokenSummary | undefined {
  const token = /^\s*bearer\s+(\S+)/i.exec(authorization ?? "")?.[1];
  if (token === undefined) return undefined;
  const summary: TokenSummary = {};
  try {
    const { alg, kid } = decodeProtectedHeader(token);
    if (typeof alg === "string") summary.alg = clip(alg);
    if (typeof kid === "string") summary.kid = clip(kid);
  } catch {
    // Not a JWS: nothing to tell.
  }
  try {
    const { iss, aud } = decodeJwt(token);
    if (typeof iss === "string") summary.iss = clip(iss);
    if (typeof aud === "string" || Array.isArray(aud)) summary.aud = clip([aud].flat().join(", "));
  } catch {
    // Claims that do not decode: the header may still have told something.
  }
  return summary;
}

/** A header or claim cut to 200 characters, so a hostile sender cannot fill the logs. */
function clip(value: string): string {
  return value.length > 200 ? `${value.slice(0, 200)}…` : value;
}
