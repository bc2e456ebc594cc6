import { sleep, untilAborted } from "./abort.ts";
import { maxTimerMs } from "./check.ts";
import { bareToken, type FetchLike, type TokenSource } from "./client-options.ts";
import { CallsClientError } from "./errors/calls-client-error.ts";
import { NetworkError } from "./errors/network-error.ts";
import { TokenError } from "./errors/token-error.ts";
import { backoffDelay, isRetryableStatus, parseRetryAfter, type RetryPolicy } from "./retry.ts";

/**
 * The request openapi-fetch builds, kept as plain data: the client hands this class to
 * openapi-fetch as its `Request`, and sends it with `fetch(url, init)`, so a call builds no
 * WHATWG `Request` it would only take apart again.
 */
export class PlainRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly body: RequestInit["body"];

  constructor(url: string, init: RequestInit) {
    this.url = url;
    this.method = init.method ?? "GET";
    this.headers = init.headers instanceof Headers ? init.headers : new Headers(init.headers);
    this.body = init.body;
  }
}

/** What {@link createSender} needs from the client's options. */
export interface SenderConfig {
  baseUrl: string;
  token: TokenSource;
  fetch: FetchLike;
  retry: RetryPolicy;
}

/** What one call learns while sending: the URL and how many attempts were made. */
export interface SendState {
  url: string;
  attempts: number;
}

/**
 * The `fetch` openapi-fetch uses for one call: checks the URL is under `baseUrl` (the token goes
 * nowhere else), adds `Authorization` per attempt, does not follow redirects, retries 429/503/504
 * per the {@link RetryPolicy} (re-sending the same body), and stops at once when `signal` aborts.
 *
 * @example
 * const state = { url: "", attempts: 0 };
 * const response = await createSender(config, signal, state)(new PlainRequest(url, { method: "POST", body: "{}" }));
 */
export function createSender(
  config: SenderConfig,
  signal: AbortSignal | undefined,
  state: SendState,
): (request: PlainRequest) => Promise<Response> {
  return async (request) => {
    const { url, headers } = request;
    state.url = url;
    if (!url.startsWith(`${config.baseUrl}/`)) {
      throw new CallsClientError(`${url} is not under baseUrl: token not sent`);
    }
    const init: RequestInit = {
      method: request.method,
      headers,
      body: request.body ?? null,
      redirect: "manual",
    };
    if (signal) init.signal = signal;
    let waited = 0;
    for (let attempt = 1; ; attempt++) {
      state.attempts = attempt;
      const { token } = config;
      const bearer = typeof token === "string" ? token : await untilAborted(callToken(token), signal);
      headers.set("Authorization", `Bearer ${bearer}`);
      const response = await fetchOnce(config.fetch, url, init, signal);
      if (attempt >= config.retry.maxAttempts || !isRetryableStatus(response.status)) return response;
      const wait =
        parseRetryAfter(response.headers.get("retry-after")) ?? backoffDelay(attempt, config.retry);
      if (waited + wait > Math.min(config.retry.maxTotalDelayMs, maxTimerMs)) return response;
      // Free the connection; not awaited: cancelling a teed (cloned) body waits for its twin.
      response.body?.cancel().catch(() => {});
      await sleep(wait, signal);
      waited += wait;
    }
  };
}

async function fetchOnce(
  fetch: FetchLike,
  url: string,
  init: RequestInit,
  signal: AbortSignal | undefined,
): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw new NetworkError(url, error);
  }
}

async function callToken(token: () => string | Promise<string>): Promise<string> {
  let value: unknown;
  try {
    value = await token();
  } catch (error) {
    throw new TokenError(`options.token failed: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  const bare = typeof value === "string" ? bareToken(value) : undefined;
  if (!bare)
    throw new TokenError(
      `options.token gave ${typeof value === "string" ? "an empty or malformed token" : typeof value}`,
    );
  return bare;
}
