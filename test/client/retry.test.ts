import { getEventListeners } from "node:events";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createCallsClient, GraphError, TimeoutError } from "../../src/client/index.ts";
import type { RetryOptions } from "../../src/client/retry.ts";
import { accepted, callId, graphError, type StubAnswer, stubFetch } from "../support/fetch-stub.ts";

const start = Date.parse("2026-01-01T00:00:00Z");

beforeEach(() => {
  vi.useFakeTimers({ now: start });
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** A client over a stub fetch that notes when (ms after start) each request was sent. */
function timedClient(answers: StubAnswer[], retry?: RetryOptions, token: () => string = () => "t") {
  const times: number[] = [];
  const fetch = stubFetch(
    ...answers.map((answer) => (request: Parameters<Exclude<StubAnswer, Response>>[0]) => {
      times.push(Date.now() - start);
      return typeof answer === "function" ? answer(request) : answer;
    }),
  );
  const client = createCallsClient({ token, fetch, ...(retry ? { retry } : {}) });
  return { client, fetch, times };
}

/** Runs a call to its end under fake timers, returning its result or error. */
async function settle<T>(promise: Promise<T>): Promise<T | unknown> {
  const outcome = promise.catch((error: unknown) => error);
  await vi.runAllTimersAsync();
  return outcome;
}

describe("retries of 429, 503 and 504", () => {
  it.each([
    ["seconds", "2", 2000],
    ["fractional seconds", "2.128", 2128],
    ["zero", "0", 0],
  ])("waits Retry-After given in %s", async (_, retryAfter, wait) => {
    const { client, times } = timedClient([
      graphError(429, "TooManyRequests", { "Retry-After": retryAfter }),
      accepted(),
    ]);
    const result = await settle(client.cancelMediaProcessing(callId));
    expect(result).toMatchObject({ httpStatus: 202 });
    expect(times).toEqual([0, wait]);
  });

  it("waits until a Retry-After HTTP date", async () => {
    const date = new Date(start + 7000).toUTCString();
    const { client, times } = timedClient([
      graphError(503, "ServiceUnavailable", { "Retry-After": date }),
      accepted(),
    ]);
    await settle(client.cancelMediaProcessing(callId));
    expect(times).toEqual([0, 7000]);
  });

  it("does not wait for a Retry-After date in the past", async () => {
    const date = new Date(start - 60_000).toUTCString();
    const { client, times } = timedClient([
      graphError(503, "ServiceUnavailable", { "Retry-After": date }),
      accepted(),
    ]);
    await settle(client.cancelMediaProcessing(callId));
    expect(times).toEqual([0, 0]);
  });

  it("backs off exponentially with jitter when there is no (valid) Retry-After", async () => {
    const random = vi.spyOn(Math, "random").mockReturnValueOnce(0).mockReturnValueOnce(1);
    const { client, times } = timedClient(
      [
        graphError(504, "GatewayTimeout"),
        graphError(429, "TooManyRequests", { "Retry-After": "soon" }),
        accepted(),
      ],
      { maxAttempts: 3, baseDelayMs: 1000 },
    );
    await settle(client.cancelMediaProcessing(callId));
    // retry 1: step 1000, jitter 0 -> 500; retry 2: step 2000, jitter 1 -> 2000
    expect(times).toEqual([0, 500, 2500]);
    expect(random).toHaveBeenCalledTimes(2);
  });

  it("caps a single backoff at maxBackoffMs", async () => {
    vi.spyOn(Math, "random").mockReturnValue(1);
    const { client, times } = timedClient([graphError(503, "ServiceUnavailable")], {
      maxAttempts: 4,
      baseDelayMs: 1000,
      maxBackoffMs: 1500,
    });
    await settle(client.cancelMediaProcessing(callId));
    expect(times).toEqual([0, 1000, 2500, 4000]);
  });

  it("stops after maxAttempts (default 3) and throws the last GraphError", async () => {
    const { client, times } = timedClient([graphError(429, "TooManyRequests", { "Retry-After": "1" })]);
    const error = await settle(client.cancelMediaProcessing(callId));
    expect(error).toBeInstanceOf(GraphError);
    expect(error).toMatchObject({ status: 429, attempts: 3, retryAfterMs: 1000 });
    expect(times).toEqual([0, 1000, 2000]);
  });

  it("does not retry when the wait would pass maxTotalDelayMs, and reports Graph's Retry-After", async () => {
    const { client, times } = timedClient(
      [
        graphError(429, "TooManyRequests", { "Retry-After": "20" }),
        graphError(429, "TooManyRequests", { "Retry-After": "20" }),
      ],
      { maxTotalDelayMs: 30_000 },
    );
    const error = await settle(client.cancelMediaProcessing(callId));
    expect(error).toMatchObject({ status: 429, attempts: 2, retryAfterMs: 20_000 });
    expect(times).toEqual([0, 20_000]);
  });

  it("does not retry early when Retry-After is beyond what a timer can hold", async () => {
    const farAway = new Date(start + 40 * 86_400_000).toUTCString();
    const { client, times } = timedClient(
      [graphError(429, "TooManyRequests", { "Retry-After": farAway }), accepted()],
      {
        maxTotalDelayMs: Number.MAX_SAFE_INTEGER,
      },
    );
    const error = await settle(client.cancelMediaProcessing(callId));
    expect(error).toMatchObject({ status: 429, attempts: 1, retryAfterMs: 40 * 86_400_000 });
    expect(times).toEqual([0]);
  });

  it.each([400, 401, 403, 404, 409, 500, 502])("never retries %i", async (status) => {
    const { client, times } = timedClient([graphError(status, "Nope"), accepted()]);
    const error = await settle(client.cancelMediaProcessing(callId));
    expect(error).toMatchObject({ status, attempts: 1 });
    expect(times).toEqual([0]);
  });

  it("re-sends the same body, asking the token function again for each attempt", async () => {
    let issued = 0;
    const { client, fetch } = timedClient(
      [
        graphError(503, "ServiceUnavailable", { "Retry-After": "1" }),
        graphError(429, "TooManyRequests"),
        accepted(),
      ],
      undefined,
      () => `token-${++issued}`,
    );
    await settle(client.cancelMediaProcessing(callId, { all: true, clientContext: "ctx-1" }));
    expect(fetch.requests.map((r) => [r.method, r.url, r.body, r.headers.get("authorization")])).toEqual(
      [1, 2, 3].map((n) => [
        "POST",
        `https://graph.microsoft.com/beta/app/calls/${callId}/cancelMediaProcessing`,
        '{"all":true,"clientContext":"ctx-1"}',
        `Bearer token-${n}`,
      ]),
    );
  });

  it("leaves no timer behind after a call", async () => {
    const { client } = timedClient([
      graphError(503, "ServiceUnavailable", { "Retry-After": "1" }),
      accepted(),
    ]);
    await settle(client.cancelMediaProcessing(callId));
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe("abort and timeout", () => {
  it("an abort during a retry wait rejects at once with the signal's reason and sends nothing more", async () => {
    const { client, times } = timedClient([
      graphError(429, "TooManyRequests", { "Retry-After": "10" }),
      accepted(),
    ]);
    const controller = new AbortController();
    const outcome = client
      .cancelMediaProcessing(callId, {}, { signal: controller.signal })
      .catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(3000);
    const reason = new Error("bot is shutting down");
    controller.abort(reason);
    expect(await outcome).toBe(reason);
    await vi.runAllTimersAsync();
    expect(times).toEqual([0]);
    expect(Date.now() - start).toBe(3000);
  });

  it("leaves no listener on a long-lived signal after calls that succeed or fail", async () => {
    const { client } = timedClient([accepted(), graphError(404, "NotFound"), accepted()]);
    const shutdown = new AbortController();
    for (let i = 0; i < 3; i++) {
      await settle(client.cancelMediaProcessing(callId, {}, { signal: shutdown.signal }));
    }
    expect(getEventListeners(shutdown.signal, "abort")).toHaveLength(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("an already aborted signal sends nothing", async () => {
    const { client, fetch } = timedClient([accepted()]);
    const reason = new Error("already");
    await expect(
      client.cancelMediaProcessing(callId, {}, { signal: AbortSignal.abort(reason) }),
    ).rejects.toBe(reason);
    expect(fetch.requests).toHaveLength(0);
  });

  it("a timeout during a retry wait throws TimeoutError at the deadline and sends nothing more", async () => {
    const { client, times } = timedClient([
      graphError(503, "ServiceUnavailable", { "Retry-After": "10" }),
      accepted(),
    ]);
    const outcome = client.cancelMediaProcessing(callId, {}, { timeoutMs: 4000 }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(4000);
    const error = await outcome;
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).timeoutMs).toBe(4000);
    await vi.runAllTimersAsync();
    expect(times).toEqual([0]);
  });

  it("a timeout or an abort stops waiting for a token function that never answers", async () => {
    const fetch = stubFetch(accepted());
    const never = () => new Promise<string>(() => {});
    const timed = createCallsClient({ token: never, fetch, timeoutMs: 1000 });
    const outcome = timed.cancelMediaProcessing(callId).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1000);
    expect(await outcome).toBeInstanceOf(TimeoutError);

    const controller = new AbortController();
    const aborted = createCallsClient({ token: never, fetch, timeoutMs: Number.POSITIVE_INFINITY })
      .cancelMediaProcessing(callId, {}, { signal: controller.signal })
      .catch((e: unknown) => e);
    const reason = new Error("stop");
    controller.abort(reason);
    expect(await aborted).toBe(reason);
    expect(fetch.requests).toHaveLength(0);
  });

  it("a timeout beyond what a timer can hold means no timeout, not an immediate one", async () => {
    // Graph answers after 5 ms: an unclamped 40-day timer fires after 1 ms and would abort first.
    const fetch = stubFetch(() => new Promise<Response>((answer) => setTimeout(() => answer(accepted()), 5)));
    const client = createCallsClient({ token: "t", fetch, timeoutMs: 40 * 86_400_000 });
    const outcome = client.cancelMediaProcessing(callId).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(10);
    expect(await outcome).toMatchObject({ httpStatus: 202 });
    expect(vi.getTimerCount()).toBe(0);
  });

  it("a timeout also stops reading a response body that never ends", async () => {
    const endless = new ReadableStream<Uint8Array>({ start() {} });
    const fetch = stubFetch(() => new Response(endless, { status: 200 }));
    const client = createCallsClient({
      token: "t",
      fetch,
      timeoutMs: 1500,
      path: "/communications/calls/{callId}/cancelMediaProcessing",
    });
    const outcome = client.cancelMediaProcessing(callId).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1500);
    expect(await outcome).toBeInstanceOf(TimeoutError);
    expect(fetch.requests).toHaveLength(1);
  });

  it("a timeout aborts a request in flight", async () => {
    let seenSignal: AbortSignal | undefined;
    const hanging = (_url: string, init: RequestInit) =>
      new Promise<Response>((_, reject) => {
        seenSignal = init.signal ?? undefined;
        seenSignal?.addEventListener("abort", () => reject(seenSignal?.reason));
      });
    const client = createCallsClient({ token: "t", fetch: hanging, timeoutMs: 2500 });
    const outcome = client.cancelMediaProcessing(callId).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(2499);
    expect(seenSignal?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(seenSignal?.aborted).toBe(true);
    expect(await outcome).toBeInstanceOf(TimeoutError);
  });
});
