import createClient, { type Client, type Middleware } from "openapi-fetch";
import type { paths } from "../../generated/schema.d.ts";
import { checkRecord, checkType, maxTimerMs } from "../core/check.ts";
import { defaultBaseUrl, type FetchLike, resolveOptions, type TokenSource } from "./client-options.ts";
import { graphErrorFromResponse } from "./graph-error-from-response.ts";
import { backoffDelay, isRetryableStatus, parseRetryAfter, type RetryOptions } from "./retry.ts";
import { bearerToken } from "./send.ts";

/** Options of {@link createGraphClient}. */
export interface GraphClientOptions {
  /** The app-only Graph token, or a function returning it (called before every attempt). */
  token: TokenSource;
  /**
   * Where Graph is (`https:`, or `http:` on a loopback host for mocks).
   * @default "https://graph.microsoft.com/beta"
   */
  baseUrl?: string;
  /**
   * The `fetch` to use.
   * @default `globalThis.fetch`, looked up at each request (so MSW sees it)
   */
  fetch?: FetchLike;
  /**
   * Retry rules for 429/503/504 (`Retry-After` first, else backoff), or `false` for none.
   * @default {} (3 attempts)
   */
  retry?: RetryOptions | false;
}

/**
 * openapi-fetch's `createClient<paths>` over the whole spec with Graph's token, retries and errors as middleware.
 * @example
 * import { createGraphClient } from "graph-comms-kit";
 * const graph = createGraphClient({ token: () => getAppToken(), baseUrl: "https://graph.microsoft.com/v1.0" });
 * const { data, response } = await graph.POST("/communications/calls/{callId}/playPrompt", {
 *   params: { path: { callId } },
 *   body: { prompts: [{ "@odata.type": "#microsoft.graph.mediaPrompt", mediaInfo: { uri: "https://cdn.contoso.com/beep.wav" } }] },
 * });
 * console.log(response.headers.get("location"), data?.status); // …/operations/…, "running"
 */
export function createGraphClient(options: GraphClientOptions): Client<paths> {
  const given = checkRecord("options", options, ["token", "baseUrl", "fetch", "retry"]);
  // The same checks as createCallsClient's (token text, https-or-loopback base URL, retry numbers).
  const config = resolveOptions({ ...given, baseUrl: given.baseUrl ?? defaultBaseUrl });
  const fetch = config.fetch;
  const client = createClient<paths>({
    baseUrl: config.baseUrl,
    fetch: (request) => sendRequest(fetch, request),
  });
  client.use(graphErrors, graphToken(config.token), graphRetries(config.retry, fetch));
  return client;
}

/**
 * Middleware: `Authorization: Bearer <token>` on every request (the token function is called each time).
 * @example
 * const client = createClient<paths>({ baseUrl: "https://graph.microsoft.com/v1.0" });
 * client.use(graphErrors, graphToken(() => getAppToken()), graphRetries(defaultRetryPolicy, fetch));
 */
export function graphToken(token: TokenSource): Middleware {
  checkType("token", token, typeof token === "function" ? "function" : "string");
  return {
    async onRequest({ request }) {
      request.headers.set("Authorization", `Bearer ${await bearerToken(token, request.signal)}`);
      return request;
    },
  };
}

/**
 * Middleware: retries 429/503/504 as `createCallsClient` does; put it last, so its retries run before the rest.
 * @example
 * client.use(graphRetries({ ...defaultRetryPolicy, maxAttempts: 5 }, (url, init) => fetch(url, init)));
 */
export function graphRetries(retry: Required<RetryOptions>, fetch: FetchLike): Middleware {
  const pending = new Map<string, Request>();
  return {
    onRequest({ request, id }) {
      // Kept unread: the body of the request fetch sends is consumed.
      pending.set(id, request.clone());
    },
    async onResponse({ response, id }) {
      const original = pending.get(id);
      pending.delete(id);
      let last = response;
      let waited = 0;
      for (
        let attempt = 1;
        original && attempt < retry.maxAttempts && isRetryableStatus(last.status);
        attempt++
      ) {
        const wait = parseRetryAfter(last.headers.get("retry-after")) ?? backoffDelay(attempt, retry);
        if (waited + wait > Math.min(retry.maxTotalDelayMs, maxTimerMs)) break;
        await new Promise((resolve) => setTimeout(resolve, wait));
        waited += wait;
        last = await sendRequest(fetch, original.clone());
      }
      return last;
    },
  };
}

/** Sends a `Request` through a {@link FetchLike} (`fetch(url, init)`), its body read as text, redirects not followed. */
async function sendRequest(fetch: FetchLike, request: Request): Promise<Response> {
  const init: RequestInit = { method: request.method, headers: request.headers, redirect: "manual" };
  if (request.body) init.body = await request.text();
  if (request.signal) init.signal = request.signal;
  return fetch(request.url, init);
}

/**
 * Middleware: a non-2xx answer throws {@link GraphError}, with Graph's error code and request id.
 * @example
 * client.use(graphErrors); // then: try { await client.POST(...) } catch (e) { if (e instanceof GraphError) ... }
 */
export const graphErrors: Middleware = {
  async onResponse({ request, response }) {
    if (response.ok) return undefined;
    throw graphErrorFromResponse(response, await response.text(), request.url, 1);
  },
};
