import { bypass } from "msw";
import { checkHttpUrl } from "./check-http-url.ts";
import { MockOptionError, NotificationDeliveryError } from "./errors.ts";
import type { CommsNotifications } from "./notification-builder.ts";

/** An in-process receiver of notifications: gets the batch and the headers Graph would send. */
export type NotificationSink = (
  batch: CommsNotifications,
  request: { headers: Record<string, string> },
) => unknown | Promise<unknown>;

/** Where and how to deliver a notification batch. */
export interface DeliveryOptions {
  /** The bot's callback URL (POSTed to over real HTTP), or an in-process function. */
  to: string | URL | NotificationSink;
  /** Sent as `Authorization: Bearer <token>`. Default: no Authorization header (to test a bot's 401). */
  token?: string | undefined;
  /** Give up on an HTTP delivery after this many milliseconds. Default: 10 000. */
  timeoutMs?: number | undefined;
  /** Aborts an HTTP delivery. */
  signal?: AbortSignal | undefined;
}

/** What happened to a delivered batch. */
export interface NotificationDelivery {
  /** The batch that was sent. */
  batch: CommsNotifications;
  /** The bot's HTTP status (HTTP delivery only). */
  status?: number;
  /** The bot's response body (HTTP delivery only). */
  responseBody?: string;
  /** What the in-process function returned (function delivery only). */
  returned?: unknown;
}

function checkToken(token: unknown): string | undefined {
  if (token === undefined) return undefined;
  if (typeof token !== "string" || token.trim() === "" || /[\r\n]/.test(token)) {
    throw new MockOptionError("token", "token must be a non-empty string on one line");
  }
  return token.trim();
}

function checkTimeout(timeoutMs: unknown): number {
  if (timeoutMs === undefined) return 10_000;
  if (typeof timeoutMs === "number" && Number.isFinite(timeoutMs) && timeoutMs > 0) return timeoutMs;
  throw new MockOptionError("timeoutMs", `timeoutMs must be a positive number, got ${String(timeoutMs)}`);
}

/**
 * Delivers a notification batch as Graph does: a JSON POST with the bearer token to the callback
 * URL (real HTTP, bypassing any MSW interception), or a call of an in-process function. Throws
 * {@link NotificationDeliveryError} when the URL cannot be reached in time or the bot answers
 * with a non-2xx status.
 *
 * @example
 * await deliverNotifications(batch, { to: "http://127.0.0.1:3978/api/calls", token: signedJwt });
 * await deliverNotifications(batch, { to: (body, { headers }) => receiver.handle(body, headers) });
 */
export async function deliverNotifications(
  batch: CommsNotifications,
  options: DeliveryOptions,
): Promise<NotificationDelivery> {
  const token = checkToken(options.token);
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  if (typeof options.to === "function") {
    return { batch, returned: await options.to(structuredClone(batch), { headers: { ...headers } }) };
  }
  const url = checkHttpUrl(options.to, "to");
  const timeoutMs = checkTimeout(options.timeoutMs);
  const signals = [AbortSignal.timeout(timeoutMs), ...(options.signal ? [options.signal] : [])];
  let response: Response;
  try {
    const request = new Request(url, { method: "POST", headers, body: JSON.stringify(batch) });
    response = await fetch(bypass(request), { signal: AbortSignal.any(signals) });
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new NotificationDeliveryError(`could not deliver the notification to ${url.href}: ${why}`, {
      batch,
      cause,
    });
  }
  const responseBody = await response.text();
  if (!response.ok) {
    throw new NotificationDeliveryError(
      `the bot at ${url.href} rejected the notification with ${response.status}${responseBody ? `: ${responseBody.slice(0, 200)}` : ""}`,
      { batch, status: response.status, responseBody },
    );
  }
  return { batch, status: response.status, responseBody };
}
