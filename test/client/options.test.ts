import { describe, expect, it, vi } from "vitest";
import { createCallsClient, defaultBaseUrl, InvalidArgumentError } from "../../src/client/index.ts";
import { accepted, callId, stubFetch } from "../support/fetch-stub.ts";

/** Creates a client with options an untyped JavaScript caller could pass. */
function createUntyped(options: unknown): unknown {
  return (createCallsClient as (o: unknown) => unknown)(options);
}

function thrown(options: unknown): InvalidArgumentError {
  try {
    createUntyped(options);
  } catch (error) {
    if (error instanceof InvalidArgumentError) return error;
    throw error;
  }
  throw new Error("createCallsClient did not throw");
}

describe("createCallsClient options", () => {
  it.each([
    ["no options", undefined, "options", "must be an object, got undefined"],
    ["no token", {}, "options.token", "must be a string or a function, got undefined"],
    ["an empty token", { token: "" }, "options.token", "is empty"],
    ["a token of only 'Bearer '", { token: "Bearer  " }, "options.token", "is empty"],
    ["a token with a newline", { token: "abc\r\nX-Evil: 1" }, "options.token", "a header cannot carry"],
    ["a token with a space inside", { token: "Bearer a b" }, "options.token", "a header cannot carry"],
    // Row 8 of issue 12: these passed the check, then failed as a NetworkError ("may have reached Graph").
    ["a token with a euro sign", { token: "abc€" }, "options.token", "a header cannot carry"],
    ["a token with \\x01", { token: "abc\x01" }, "options.token", "a header cannot carry"],
    ["a token with DEL (\\x7f)", { token: "abc\x7f" }, "options.token", "a header cannot carry"],
    ["a token with a Latin-1 letter", { token: "abcé" }, "options.token", "a header cannot carry"],
    ["a numeric token", { token: 5 }, "options.token", "got number"],
    ["a relative baseUrl", { token: "t", baseUrl: "/beta" }, "options.baseUrl", "must be an absolute URL"],
    [
      "an http baseUrl on a remote host",
      { token: "t", baseUrl: "http://graph.microsoft.com/beta" },
      "options.baseUrl",
      "must be https: (http: only on a loopback host)",
    ],
    [
      "a non-http baseUrl",
      { token: "t", baseUrl: "ftp://example.com" },
      "options.baseUrl",
      "must be https: (http: only on a loopback host)",
    ],
    [
      "a baseUrl with a query",
      { token: "t", baseUrl: "https://graph.microsoft.com/beta?x=1" },
      "options.baseUrl",
      "must have no query, fragment or credentials",
    ],
    [
      "a baseUrl with an empty fragment",
      { token: "t", baseUrl: "https://graph.microsoft.com/beta#" },
      "options.baseUrl",
      "must have no query, fragment or credentials",
    ],
    [
      "a baseUrl with credentials",
      { token: "t", baseUrl: "https://u:p@graph.microsoft.com/beta" },
      "options.baseUrl",
      "must have no query, fragment or credentials",
    ],
    [
      "an unknown path",
      { token: "t", path: "/calls/{callId}" },
      "options.path",
      "must be one of /app/calls/{callId}/cancelMediaProcessing, /applications/{appId}/calls/{callId}/cancelMediaProcessing, /communications/calls/{callId}/cancelMediaProcessing",
    ],
    [
      "the /applications path without appId",
      { token: "t", path: "/applications/{appId}/calls/{callId}/cancelMediaProcessing" },
      "options.appId",
      "must be a string, got undefined",
    ],
    [
      "an empty appId",
      { token: "t", path: "/applications/{appId}/calls/{callId}/cancelMediaProcessing", appId: "" },
      "options.appId",
      "must not be empty",
    ],
    [
      "appId on a path without it",
      { token: "t", appId: "x" },
      "options.appId",
      "is not allowed; allowed: token, baseUrl, path, fetch, retry, timeoutMs, telemetry",
    ],
    [
      "a misspelt option",
      { token: "t", timeoutMS: 5 },
      "options.timeoutMS",
      'is not allowed (did you mean "timeoutMs"?)',
    ],
    ["a misspelt token", { tokne: "t" }, "options.tokne", 'is not allowed (did you mean "token"?)'],
    ["a fetch that is not a function", { token: "t", fetch: "fetch" }, "options.fetch", "must be a function"],
    ["retry: true", { token: "t", retry: true }, "options.retry", "must be an object, got boolean"],
    [
      "retry.maxAttempts 0",
      { token: "t", retry: { maxAttempts: 0 } },
      "options.retry.maxAttempts",
      "integer >= 1",
    ],
    [
      "retry.maxAttempts 1.5",
      { token: "t", retry: { maxAttempts: 1.5 } },
      "options.retry.maxAttempts",
      "integer >= 1",
    ],
    [
      "a negative retry.baseDelayMs",
      { token: "t", retry: { baseDelayMs: -1 } },
      "options.retry.baseDelayMs",
      ">= 0",
    ],
    [
      "a NaN retry.maxTotalDelayMs",
      { token: "t", retry: { maxTotalDelayMs: Number.NaN } },
      "options.retry.maxTotalDelayMs",
      "got NaN",
    ],
    [
      "an unknown retry option",
      { token: "t", retry: { limit: 2 } },
      "options.retry.limit",
      "is not allowed; allowed: maxAttempts, baseDelayMs, maxBackoffMs, maxTotalDelayMs",
    ],
    [
      "a misspelt retry option",
      { token: "t", retry: { maxAttempt: 2 } },
      "options.retry.maxAttempt",
      'is not allowed (did you mean "maxAttempts"?)',
    ],
    [
      "a negative timeoutMs",
      { token: "t", timeoutMs: -5 },
      "options.timeoutMs",
      "must be a number >= 1, got -5",
    ],
    ["a string timeoutMs", { token: "t", timeoutMs: "5000" }, "options.timeoutMs", "got string"],
  ])("rejects %s", (_, options, argument, message) => {
    const error = thrown(options);
    expect(error.argument).toBe(argument);
    expect(error.message).toContain(message);
  });

  it("defaults to Graph beta", () => {
    expect(createCallsClient({ token: "t" }).baseUrl).toBe(defaultBaseUrl);
    expect(defaultBaseUrl).toBe("https://graph.microsoft.com/beta");
  });

  it.each(["http://127.0.0.1:4010", "http://localhost:4010/", "http://[::1]:4010"])(
    "allows plain http on the loopback host %s, for mocks",
    (baseUrl) => {
      expect(createCallsClient({ token: "t", baseUrl }).baseUrl).toBe(baseUrl.replace(/\/$/, ""));
    },
  );

  it("strips one 'Bearer ' prefix from the token instead of doubling it", async () => {
    const fetch = stubFetch(accepted());
    await createCallsClient({ token: "bearer abc", fetch }).cancelMediaProcessing(callId);
    expect(fetch.requests[0]?.headers.get("authorization")).toBe("Bearer abc");
  });

  it("accepts retry: false and Infinity as timeoutMs", async () => {
    const fetch = stubFetch(accepted());
    const client = createCallsClient({
      token: "t",
      fetch,
      retry: false,
      timeoutMs: Number.POSITIVE_INFINITY,
    });
    await expect(client.cancelMediaProcessing(callId)).resolves.toMatchObject({ httpStatus: 202 });
  });
});

describe("a beta-only path with a v1.0 base URL", () => {
  it("warns once at creation, naming the path and the base URL (Graph would answer 400)", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      createCallsClient({ token: "t", baseUrl: "https://graph.microsoft.com/v1.0" });
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]?.[0])).toBe(
        "graph-comms-kit: /app/calls/{callId}/cancelMediaProcessing exists on Graph beta only; with https://graph.microsoft.com/v1.0 Graph answers 400",
      );
      createCallsClient({ token: "t" });
      createCallsClient({
        token: "t",
        baseUrl: "https://graph.microsoft.com/v1.0",
        path: "/communications/calls/{callId}/cancelMediaProcessing",
      });
      expect(warn).toHaveBeenCalledTimes(1);
    } finally {
      warn.mockRestore();
    }
  });
});
