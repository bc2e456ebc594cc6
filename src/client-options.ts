import {
  type CallsPath,
  type ClientPathParams,
  callsPaths,
  clientPathParamNames,
  type DefaultCallsPath,
  defaultCallsPath,
  isCallsPath,
} from "./call-paths.ts";
import { InvalidArgumentError } from "./errors/invalid-argument-error.ts";
import { checkPathSegment } from "./path-segment.ts";
import { defaultRetryPolicy, type RetryOptions, type RetryPolicy } from "./retry.ts";

/** A Graph app token, or a function (possibly async) that returns one; it is called before every attempt. */
export type TokenSource = string | (() => string | Promise<string>);

/** The `fetch` the client sends requests with: the standard signature, called as `fetch(url, init)`. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** Microsoft Graph beta, the default `baseUrl`. */
export const defaultBaseUrl = "https://graph.microsoft.com/beta";

/** Options of {@link createCallsClient}. Every one but `token` has a default. */
export type CallsClientOptions<P extends CallsPath = DefaultCallsPath> = {
  /**
   * The app-only Graph token (client credentials), or a function returning it, called before
   * every attempt (so a refreshed token is picked up by retries). With or without `Bearer `.
   * It is sent only to `baseUrl`'s origin.
   */
  token: TokenSource;
  /**
   * Where Graph is. Default `"https://graph.microsoft.com/beta"`. Must be `https:`, except on a
   * loopback host (`localhost`, `127.0.0.1`, `[::1]`) for mocks; no query or fragment.
   */
  baseUrl?: string;
  /**
   * Which of the spec's paths to call. Default `"/app/calls/{callId}/cancelMediaProcessing"`
   * (the 2018 seed contract); also `"/applications/{appId}/calls/{callId}/cancelMediaProcessing"`
   * (then `appId` is required) and `"/communications/calls/{callId}/cancelMediaProcessing"` (current;
   * no `all` field).
   */
  path?: P;
  /** The `fetch` to use. Default: `globalThis.fetch`, looked up at each request (so MSW sees it). */
  fetch?: FetchLike;
  /** Retry rules for 429/503/504 (see {@link RetryOptions}), or `false` for no retries. */
  retry?: RetryOptions | false;
  /** Per-call time limit in ms, all attempts and waits included. Default `60000`; `Infinity` for none. */
  timeoutMs?: number;
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
}

const defaultTimeoutMs = 60_000;
const knownOptions = new Set(["token", "baseUrl", "path", "fetch", "retry", "timeoutMs"]);
const loopbackHosts = new Set(["localhost", "127.0.0.1", "[::1]"]);

const globalFetch: FetchLike = (input, init) => globalThis.fetch(input, init);

/**
 * Checks {@link CallsClientOptions} (also from untyped JavaScript) and fills in the defaults.
 * Throws {@link InvalidArgumentError} naming the first bad option.
 *
 * @example
 * resolveOptions({ token: "t" }).baseUrl; // "https://graph.microsoft.com/beta"
 */
export function resolveOptions(options: unknown): ResolvedOptions {
  if (!isPlainObject(options))
    throw new InvalidArgumentError("options", `must be an object, got ${typeOf(options)}`);
  const path = options.path ?? defaultCallsPath;
  if (!isCallsPath(path)) {
    throw new InvalidArgumentError(
      "options.path",
      `must be one of the spec's paths (${Object.keys(callsPaths).join(", ")}), got ${JSON.stringify(path)}`,
    );
  }
  const pathParamNames = clientPathParamNames(path);
  for (const key of Object.keys(options)) {
    if (!knownOptions.has(key) && !pathParamNames.includes(key)) {
      throw new InvalidArgumentError(`options.${key}`, `is not an option of createCallsClient`);
    }
  }
  const pathParams: Record<string, string> = {};
  for (const name of pathParamNames) pathParams[name] = checkPathSegment(`options.${name}`, options[name]);
  return {
    baseUrl: checkBaseUrl(options.baseUrl ?? defaultBaseUrl),
    path,
    pathParams,
    token: checkToken(options.token),
    fetch: checkFetch(options.fetch),
    retry: checkRetry(options.retry),
    timeoutMs: checkTimeout("options.timeoutMs", options.timeoutMs ?? defaultTimeoutMs),
  };
}

/**
 * Checks a time limit in ms: a positive number, or `Infinity` (returned as `undefined`: no limit).
 *
 * @example
 * checkTimeout("options.timeoutMs", 5000); // 5000
 */
export function checkTimeout(argument: string, value: unknown): number | undefined {
  if (value === Number.POSITIVE_INFINITY) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new InvalidArgumentError(
      argument,
      `must be a positive number of milliseconds or Infinity, got ${show(value)}`,
    );
  }
  return value;
}

function checkBaseUrl(value: unknown): string {
  if (typeof value !== "string")
    throw new InvalidArgumentError("options.baseUrl", `must be a string, got ${typeOf(value)}`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError(
      "options.baseUrl",
      `must be an absolute URL, got ${JSON.stringify(value)}`,
    );
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopbackHosts.has(url.hostname))) {
    throw new InvalidArgumentError(
      "options.baseUrl",
      `must use https: (http: only on localhost, 127.0.0.1 or [::1], for mocks), so the token is never sent in clear; got ${JSON.stringify(value)}`,
    );
  }
  if (url.search || url.hash || value.includes("?") || value.includes("#")) {
    throw new InvalidArgumentError(
      "options.baseUrl",
      `must have no query or fragment, got ${JSON.stringify(value)}`,
    );
  }
  if (url.username || url.password) {
    throw new InvalidArgumentError("options.baseUrl", "must not carry a user name or password");
  }
  return url.href.replace(/\/+$/, "");
}

function checkToken(value: unknown): TokenSource {
  if (typeof value === "function") return value as () => string | Promise<string>;
  if (typeof value !== "string") {
    throw new InvalidArgumentError(
      "options.token",
      `must be a string or a function returning one, got ${typeOf(value)}`,
    );
  }
  const token = bareToken(value);
  if (token === undefined) throw new InvalidArgumentError("options.token", "is empty or contains whitespace");
  return token;
}

/**
 * A token without any `Bearer ` prefix, or `undefined` when it is empty or would break the header.
 *
 * @example
 * bareToken("Bearer eyJ0..."); // "eyJ0..."
 * bareToken("  "); // undefined
 */
export function bareToken(value: string): string | undefined {
  const token = value.replace(/^\s*bearer\s+/i, "").trim();
  return token === "" || /[\s\0]/.test(token) ? undefined : token;
}

function checkFetch(value: unknown): FetchLike {
  if (value === undefined) return globalFetch;
  if (typeof value !== "function")
    throw new InvalidArgumentError("options.fetch", `must be a function, got ${typeOf(value)}`);
  return value as FetchLike;
}

function checkRetry(value: unknown): RetryPolicy {
  if (value === undefined) return defaultRetryPolicy;
  if (value === false) return { ...defaultRetryPolicy, maxAttempts: 1 };
  if (!isPlainObject(value)) {
    throw new InvalidArgumentError("options.retry", `must be an object or false, got ${typeOf(value)}`);
  }
  const policy: Record<string, number> = { ...defaultRetryPolicy };
  for (const [key, given] of Object.entries(value)) {
    if (!(key in defaultRetryPolicy))
      throw new InvalidArgumentError(`options.retry.${key}`, "is not a retry option");
    if (given === undefined) continue;
    const integerOnly = key === "maxAttempts";
    const valid =
      typeof given === "number" &&
      Number.isFinite(given) &&
      (integerOnly ? Number.isInteger(given) && given >= 1 : given >= 0);
    if (!valid) {
      throw new InvalidArgumentError(
        `options.retry.${key}`,
        `must be ${integerOnly ? "an integer >= 1" : "a number of milliseconds >= 0"}, got ${show(given)}`,
      );
    }
    policy[key] = given;
  }
  return policy as RetryPolicy;
}

/**
 * Whether a value is a plain object (not null, not an array).
 *
 * @example
 * isPlainObject({}); // true
 * isPlainObject([]); // false
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A short description of a value's type for error messages: `null`, `array`, `number`...
 *
 * @example
 * typeOf([]); // "array"
 */
export function typeOf(value: unknown): string {
  if (value === null) return "null";
  return Array.isArray(value) ? "array" : typeof value;
}

function show(value: unknown): string {
  return typeof value === "number" ? String(value) : typeOf(value);
}
