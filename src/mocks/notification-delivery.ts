import { bypass } from "msw";
import { checkRecord, checkTimeout, fail } from "../core/check.ts";
import { checkHttpUrl } from "./check-http-url.ts";
import { NotificationDeliveryError } from "./errors.ts";
import type { CommsNotifications } from "./notification-builder.ts";

/** An in-process receiver of notifications: gets the batch and the headers Graph would send. */
export type NotificationSink = (
  batch: CommsNotifications,
  request: { headers: Record<string, string> },
) => unknown | Promise<unknown>;

/** Mints the bearer token each notification is sent with, such as the testing kit's `createTestSigningKeys()`. */
export interface NotificationSigner {
  /** Resolves with a fresh signed JWT (called once per delivery, so each token is new). */
  mint(): Promise<string>;
}

/** Where and how to deliver a notification batch. */
export interface DeliveryOptions {
  /** The bot's callback URL (POSTed to over real HTTP), or an in-process function. */
  to: string | URL | NotificationSink;
  /**
   * Sent as `Authorization: Bearer <token>`; not with `signer`.
   * @default undefined (no Authorization header, to test a bot's 401)
   */
  token?: string | undefined;
  /**
   * Mints the bearer token for this delivery (the testing kit's keys); not with `token`.
   * @default undefined
   */
  signer?: NotificationSigner | undefined;
  /**
   * Give up on an HTTP delivery after this many milliseconds (`Infinity`: no limit).
   * @default 10_000
   */
  timeoutMs?: number | undefined;
  /**
   * Aborts an HTTP delivery.
   * @default undefined
   */
  signal?: AbortSignal | undefined;
}

/** What happened to a delivered batch. */
export interface NotificationDelivery {
  batch: CommsNotifications;
  /** The bot's HTTP status (HTTP delivery only): always 2xx, since any other status rejects. */
  status?: number;
  /** The bot's response body (HTTP delivery only). */
  responseBody?: string;
  /** What the in-process function returned (function delivery only). */
  returned?: unknown;
}

export const deliveryOptionKeys = ["to", "token", "signer", "timeoutMs", "signal"] as const;

/** Checks a bearer token: one token68-like value, which a header can carry. */
export function checkBearerToken(token: unknown, option: string): string | undefined {
  if (token === undefined) return undefined;
  if (typeof token !== "string" || !/^[\x21-\x7e]+$/.test(token.trim())) {
    fail(option, "must be a non-empty string of visible ASCII characters without spaces");
  }
  return token.trim();
}

/** Refuses a signer option that is not an object with a `mint()` method. */
export function checkSigner(option: string, signer: unknown): NotificationSigner | undefined {
  if (signer === undefined) return undefined;
  if (
    typeof signer !== "object" ||
    signer === null ||
    typeof (signer as NotificationSigner).mint !== "function"
  ) {
    fail(option, "must be an object with a mint() method (such as the testing kit's keys)");
  }
  return signer as NotificationSigner;
}

/** The bearer token of one delivery: the given token, or a fresh one from the signer. */
async function deliveryToken(options: DeliveryOptions, path: string): Promise<string | undefined> {
  const token = checkBearerToken(options.token, `${path}.token`);
  const signer = options.signer;
  if (signer === undefined) return token;
  if (token !== undefined) fail(`${path}.signer`, "cannot be combined with a token: give one or the other");
  checkSigner(`${path}.signer`, signer);
  return checkBearerToken(await signer.mint(), `${path}.signer.mint()`);
}

/**
 * Delivers a batch as Graph does (a POST bypassing MSW, or an in-process call); throws {@link NotificationDeliveryError}.
 * @example
 * await deliverNotifications(batch, { to: "http://127.0.0.1:3978/api/calls", signer: keys }); // keys: graph-comms-kit/testing
 * await deliverNotifications(batch, { to: (body, { headers }) => console.log(headers.authorization, body.value.length) });
 */
export async function deliverNotifications(
  batch: CommsNotifications,
  options: DeliveryOptions,
): Promise<NotificationDelivery> {
  checkRecord("options", options, deliveryOptionKeys);
  return deliver(batch, options, "options");
}

/** {@link deliverNotifications} once its options' keys are checked; `path` names them in errors. */
export async function deliver(
  batch: CommsNotifications,
  options: DeliveryOptions,
  path: string,
): Promise<NotificationDelivery> {
  if (options.to === undefined) fail(`${path}.to`, "is required: the bot's callback URL or a function");
  const timeoutMs =
    options.timeoutMs === undefined ? 10_000 : checkTimeout(`${path}.timeoutMs`, options.timeoutMs);
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
    fail(`${path}.signal`, "must be an AbortSignal");
  }
  const token = await deliveryToken(options, path);
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  if (typeof options.to === "function") {
    return { batch, returned: await options.to(structuredClone(batch), { headers: { ...headers } }) };
  }
  const url = checkHttpUrl(options.to, `${path}.to`);
  const signals = [
    ...(timeoutMs === undefined ? [] : [AbortSignal.timeout(timeoutMs)]),
    ...(options.signal ? [options.signal] : []),
  ];
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
