import { defaultServerUrls } from "../../generated/constraints.ts";
import {
  type CallsPath,
  type ClientPathParams,
  callsPaths,
  clientPathParamNames,
  type DefaultCallsPath,
  defaultCallsPath,
  isCallsPath,
} from "../core/call-paths.ts";
import { checkNumber, checkRecord, checkTimeout, checkType, fail, typeOf } from "../core/check.ts";
import { isHttpsOrLoopback } from "../core/secure-url.ts";
import { checkTelemetry, type Telemetry } from "../core/telemetry.ts";
import { checkPathSegment } from "./path-segment.ts";
import { defaultRetryPolicy, type RetryOptions, type RetryPolicy } from "./retry.ts";

/** A Graph app token, or a function (possibly async) that returns one; it is called before every attempt. */
export type TokenSource = string | (() => string | Promise<string>);

/** The `fetch` the client sends requests with: the standard signature, called as `fetch(url, init)`. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** The default `baseUrl` of the default path: the spec's server for it, Microsoft Graph beta. */
export const defaultBaseUrl: string = defaultServerUrls[defaultCallsPath];

/** Options of {@link createCallsClient}; every one but `token` (and `appId`, on the `/applications/...` path) has a default. */
export type CallsClientOptions<P extends CallsPath = DefaultCallsPath> = {
  /**
   * The app-only Graph token (client credentials), or a function returning it, called before
   * every attempt (so a refreshed token is picked up by retries). With or without `Bearer `;
   * visible ASCII only, as bearer tokens are (anything else fails before a request is sent). It
   * is sent only to `baseUrl`'s origin.
   */
  token: TokenSource;
  /**
   * Where Graph is. Must be `https:`, except on a loopback host (`localhost`, `127.0.0.0/8`,
   * `[::1]`) for mocks; no query, fragment or credentials.
   * @default the spec's server for `path` (`"https://graph.microsoft.com/beta"` for all three paths today)
   */
  baseUrl?: string;
  /**
   * Which of the spec's paths to call: `"/app/calls/{callId}/cancelMediaProcessing"` (the 2018 beta
   * contract), `"/applications/{appId}/calls/{callId}/cancelMediaProcessing"` (then `appId` is
   * required) or `"/communications/calls/{callId}/cancelMediaProcessing"` (current; no `all` field).
   * @default "/app/calls/{callId}/cancelMediaProcessing"
   */
  path?: P;
  /**
   * The `fetch` to use.
   * @default `globalThis.fetch`, looked up at each request (so MSW sees it)
   */
  fetch?: FetchLike;
  /**
   * Retry rules for 429/503/504 (see {@link RetryOptions}), or `false` for no retries.
   * @default {} (the defaults of {@link RetryOptions}: 3 attempts)
   */
  retry?: RetryOptions | false;
  /**
   * Per-call time limit in ms, all attempts and waits included; `Infinity` (or more than 2^31-1) for none.
   * @default 60000
   */
  timeoutMs?: number;
  /**
   * Where each call's OpenTelemetry span goes (HTTP client conventions: status, resend count,
   * Graph's `request-id`): `createTelemetry()` of `graph-comms-kit/telemetry`.
   * @default none (nothing is measured)
   * @example
   * createCallsClient({ token, telemetry: createTelemetry() })
   */
  telemetry?: Telemetry;
} & ClientPathParams<P>;

/** The options after checking, with defaults filled in. */
export interface ResolvedOptions {
  baseUrl: string;
  path: CallsPath;
  pathParams: Record<string, string>;
  token: TokenSource;
  fetch: FetchLike;
  retry: RetryPolicy;
  timeoutMs: number | undefined;
  telemetry: Telemetry | undefined;
}

const knownOptions = ["token", "baseUrl", "path", "fetch", "retry", "timeoutMs", "telemetry"];
const globalFetch: FetchLike = (input, init) => globalThis.fetch(input, init);

/**
 * Checks {@link CallsClientOptions} (also from untyped JavaScript) and fills in the defaults.
 * Throws {@link InvalidArgumentError} naming the first bad option.
 */
export function resolveOptions(input: unknown): ResolvedOptions {
  const path = checkType<Record<string, unknown>>("options", input, "object").path ?? defaultCallsPath;
  if (!isCallsPath(path)) fail("options.path", `must be one of ${Object.keys(callsPaths).join(", ")}`);
  const names = clientPathParamNames(path);
  const options = checkRecord("options", input, [...knownOptions, ...names]);
  const pathParams: Record<string, string> = {};
  for (const name of names) pathParams[name] = checkPathSegment(`options.${name}`, options[name]);
  const { token, fetch = globalFetch } = options;
  if (typeof token !== "function") checkTokenText("options.token", token);
  const baseUrl = checkBaseUrl(options.baseUrl ?? defaultServerUrls[path]);
  // Graph v1.0 has no /app segment: every call would be a 400 "Resource not found for the segment 'app'".
  if (path[1] === "a" && baseUrl.endsWith("/v1.0")) {
    console.warn(`graph-comms-kit: ${path} exists on Graph beta only; with ${baseUrl} Graph answers 400`);
  }
  return {
    baseUrl,
    path,
    pathParams,
    token: typeof token === "function" ? (token as TokenSource) : (bareToken(token as string) as string),
    fetch: checkType("options.fetch", fetch, "function"),
    retry: checkRetry(options.retry),
    timeoutMs: checkTimeout("options.timeoutMs", options.timeoutMs ?? 60_000),
    telemetry: checkTelemetry("options.telemetry", options.telemetry),
  };
}

/**
 * A token without any `Bearer ` prefix, or `undefined` when it is empty or has a character
 * outside visible ASCII: a space, CR/LF or another control character, or non-ASCII text, which
 * a header cannot carry (fetch would refuse it only when sending, looking like a network error)
 * and a bearer token never has (RFC 6750's `b64token` is narrower still).
 */
export function bareToken(value: string): string | undefined {
  const token = value.replace(/^\s*bearer\s+/i, "").trim();
  return /^[!-~]+$/.test(token) ? token : undefined;
}

function checkTokenText(argument: string, value: unknown): void {
  if (typeof value !== "string") fail(argument, `must be a string or a function, got ${typeOf(value)}`);
  if (bareToken(value) === undefined) fail(argument, "is empty or has a character a header cannot carry");
}

function checkBaseUrl(value: unknown): string {
  const argument = "options.baseUrl";
  const text = checkType<string>(argument, value, "string");
  if (!URL.canParse(text)) fail(argument, "must be an absolute URL");
  const url = new URL(text);
  if (!isHttpsOrLoopback(url)) fail(argument, "must be https: (http: only on a loopback host)");
  if (/[?#]/.test(text) || url.username || url.password)
    fail(argument, "must have no query, fragment or credentials");
  return url.href.replace(/\/+$/, "");
}

function checkRetry(value: unknown): RetryPolicy {
  if (value === false) return { ...defaultRetryPolicy, maxAttempts: 1 };
  const argument = "options.retry";
  const given = checkRecord(argument, value ?? {}, Object.keys(defaultRetryPolicy));
  const policy: Record<string, number> = { ...defaultRetryPolicy };
  for (const [key, number] of Object.entries(given)) {
    const attempts = key === "maxAttempts";
    if (number !== undefined)
      policy[key] = checkNumber(`${argument}.${key}`, number, attempts ? 1 : 0, attempts);
  }
  return policy as RetryPolicy;
}
