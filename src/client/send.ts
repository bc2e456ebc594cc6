import { maxTimerMs } from "../core/check.ts";
import { sleep, untilAborted } from "./abort.ts";
import { bareToken, type FetchLike, type TokenSource } from "./client-options.ts";
import { TokenError } from "./errors.ts";
import { discardBody } from "./response-body.ts";
import { backoffDelay, isRetryableStatus, parseRetryAfter, type RetryPolicy } from "./retry.ts";

/** What {@link send} needs from the client's options. */
export interface SenderConfig {
  token: TokenSource;
  fetch: FetchLike;
  retry: RetryPolicy;
}

/**
 * POSTs the JSON `body` to `url` (built from `baseUrl`, so the token goes nowhere else) and
 * returns the last response with the number of attempts made: adds `Authorization` per attempt,
 * does not follow redirects, retries 429/503/504 per the {@link RetryPolicy} (re-sending the same
 * body), and stops at once when `signal` aborts.
 */
export async function send(
  config: SenderConfig,
  url: string,
  body: string,
  signal: AbortSignal | undefined,
): Promise<[Response, number]> {
  const { token, retry } = config;
  let waited = 0;
  for (let attempt = 1; ; attempt++) {
    const init: RequestInit = {
      method: "POST",
      headers: {
        Authorization: `Bearer ${typeof token === "string" ? token : await callToken(token, signal)}`,
        "Content-Type": "application/json",
      },
      body,
      redirect: "manual",
    };
    if (signal) init.signal = signal;
    // A throw here (no response) becomes the caller's NetworkError, or the signal's reason.
    const response = await config.fetch(url, init);
    if (attempt >= retry.maxAttempts || !isRetryableStatus(response.status)) return [response, attempt];
    const wait = parseRetryAfter(response.headers.get("retry-after")) ?? backoffDelay(attempt, retry);
    if (waited + wait > Math.min(retry.maxTotalDelayMs, maxTimerMs)) return [response, attempt];
    discardBody(response);
    await sleep(wait, signal);
    waited += wait;
  }
}

/** The bare bearer token of a token source, checked (a function's result each time it is called). */
export function bearerToken(token: TokenSource, signal?: AbortSignal): string | Promise<string> {
  return typeof token === "string" ? checkedToken(token) : callToken(token, signal);
}

/**
 * The token from the `token` function, checked: a string it returns is used at once (no promise,
 * no abort listener: the common case costs nothing extra); a promise is raced against `signal`.
 */
function callToken(
  token: () => string | Promise<string>,
  signal: AbortSignal | undefined,
): string | Promise<string> {
  let value: unknown;
  try {
    value = token();
  } catch (error) {
    tokenFailed(error);
  }
  return typeof value === "string"
    ? checkedToken(value)
    : untilAborted(Promise.resolve(value).then(checkedToken, tokenFailed), signal);
}

function tokenFailed(error: unknown): never {
  throw new TokenError(`options.token failed: ${error instanceof Error ? error.message : String(error)}`, {
    cause: error,
  });
}

function checkedToken(value: unknown): string {
  const bare = typeof value === "string" ? bareToken(value) : undefined;
  if (!bare)
    throw new TokenError(
      `options.token gave ${typeof value === "string" ? "an empty or malformed token" : typeof value}`,
    );
  return bare;
}
