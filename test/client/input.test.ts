import fc from "fast-check";
import { createFinalURL, defaultPathSerializer } from "openapi-fetch";
import { describe, expect, it } from "vitest";
import { pathSerializer } from "../../src/client/client.ts";
import { createCallsClient, InvalidArgumentError } from "../../src/client/index.ts";
import { callsPaths } from "../../src/core/call-paths.ts";
import { clientContextMaxLength } from "../support/contract.ts";
import { acceptedHere, callId, stubFetch } from "../support/fetch-stub.ts";

function seedClient() {
  const fetch = stubFetch(acceptedHere);
  return { fetch, client: createCallsClient({ token: "t", fetch }) };
}

/** Calls with arguments an untyped JavaScript caller could pass. */
function callUntyped(client: unknown, ...args: unknown[]): Promise<unknown> {
  return (client as { cancelMediaProcessing(...a: unknown[]): Promise<unknown> }).cancelMediaProcessing(
    ...args,
  );
}

describe("input checks, before any request is sent", () => {
  it.each([
    ["an empty call id", "", "callId must not be empty"],
    ["a blank call id", "   ", "callId must not be empty"],
    ["'.' as call id", ".", 'callId must not be "."'],
    ["'..' as call id", "..", 'callId must not be ".."'],
    ["a lone surrogate", "ab\uD800", "callId contains a lone surrogate"],
    ["a number", 42, "callId must be a string, got number"],
    ["undefined", undefined, "callId must be a string, got undefined"],
    ["null", null, "callId must be a string, got null"],
  ])("rejects %s", async (_, badCallId, message) => {
    const { client, fetch } = seedClient();
    const error = await callUntyped(client, badCallId).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).argument).toBe("callId");
    expect((error as Error).message).toContain(message);
    expect(fetch.requests).toHaveLength(0);
  });

  it.each([
    [
      "a clientContext over the spec's limit",
      { clientContext: "x".repeat(clientContextMaxLength + 1) },
      "body.clientContext",
      `at most ${clientContextMaxLength} characters, got ${clientContextMaxLength + 1}`,
    ],
    [
      "a clientContext that is not a string",
      { clientContext: 5 },
      "body.clientContext",
      "must be a string, got number",
    ],
    ["`all` that is not a boolean", { all: "yes" }, "body.all", "must be a boolean, got string"],
    [
      "an unknown field",
      { al: true },
      "body.al",
      'is not allowed (did you mean "all"?); allowed: all, clientContext',
    ],
    ["a body that is an array", [], "body", "must be an object, got array"],
    ["a body that is null", null, "body", "must be an object, got null"],
    ["a body that is a string", '{"all":true}', "body", "must be an object, got string"],
  ])("rejects %s", async (_, body, argument, message) => {
    const { client, fetch } = seedClient();
    const error = await callUntyped(client, callId, body).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).argument).toBe(argument);
    expect((error as Error).message).toContain(message);
    expect(fetch.requests).toHaveLength(0);
  });

  it("rejects `all` on the current /communications path, which removed it", async () => {
    const fetch = stubFetch(acceptedHere);
    const client = createCallsClient({
      token: "t",
      fetch,
      path: "/communications/calls/{callId}/cancelMediaProcessing",
    });
    const error = await callUntyped(client, callId, { all: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toBe(
      "body.all is not allowed on this path (only on /app/calls/{callId}/cancelMediaProcessing, /applications/{appId}/calls/{callId}/cancelMediaProcessing); allowed: clientContext",
    );
    const unknown = await callUntyped(client, callId, { color: "red" }).catch((e: unknown) => e);
    expect((unknown as Error).message).toBe("body.color is not allowed; allowed: clientContext");
    expect(fetch.requests).toHaveLength(0);
  });

  it("accepts a clientContext of exactly 256 characters, counted as JSON Schema does (code points)", async () => {
    const { client, fetch } = seedClient();
    const atLimit = "😀".repeat(clientContextMaxLength); // 512 UTF-16 units, 256 code points
    await client.cancelMediaProcessing(callId, { clientContext: atLimit });
    await expect(client.cancelMediaProcessing(callId, { clientContext: `${atLimit}x` })).rejects.toThrow(
      /at most 256 characters, got 257/,
    );
    expect(fetch.requests.map((r) => JSON.parse(r.body))).toEqual([{ clientContext: atLimit }]);
  });

  it("drops fields set to undefined and sends only the fields checked", async () => {
    const { client, fetch } = seedClient();
    await callUntyped(client, callId, { all: undefined, clientContext: "c" });
    expect(fetch.requests[0]?.body).toBe('{"clientContext":"c"}');
  });

  it.each([
    ["not an object", 5, "options must be an object, got number"],
    [
      "an unknown option",
      { signal: undefined, retries: 2 },
      "options.retries is not allowed; allowed: signal, timeoutMs",
    ],
    ["a signal that is not an AbortSignal", { signal: {} }, "options.signal must be an AbortSignal"],
    ["a misspelt signal", { signl: undefined }, 'options.signl is not allowed (did you mean "signal"?)'],
    [
      "a misspelt timeoutMs",
      { timeoutMS: 5 },
      'options.timeoutMS is not allowed (did you mean "timeoutMs"?)',
    ],
    ["a zero timeout", { timeoutMs: 0 }, "options.timeoutMs must be a number >= 1, got 0"],
  ])("rejects call options that are %s", async (_, options, message) => {
    const { client, fetch } = seedClient();
    await expect(callUntyped(client, callId, {}, options)).rejects.toThrow(message);
    expect(fetch.requests).toHaveLength(0);
  });
});

describe("path parameters are encoded", () => {
  it.each([
    ["../../users", "..%2F..%2Fusers"],
    ["a/b?c=d#e", "a%2Fb%3Fc%3Dd%23e"],
    ["%2e%2e", "%252e%252e"],
    ["id with space", "id%20with%20space"],
  ])("keeps %j inside its one path segment", async (raw, encoded) => {
    const { client, fetch } = seedClient();
    await client.cancelMediaProcessing(raw);
    const url = fetch.requests[0]?.url ?? "";
    expect(url).toBe(`https://graph.microsoft.com/beta/app/calls/${encoded}/cancelMediaProcessing`);
    expect(new URL(url).pathname.split("/")).toEqual([
      "",
      "beta",
      "app",
      "calls",
      encoded,
      "cancelMediaProcessing",
    ]);
  });

  it("encodes the appId of the /applications path too", async () => {
    const fetch = stubFetch(acceptedHere);
    const client = createCallsClient({
      token: "t",
      fetch,
      path: "/applications/{appId}/calls/{callId}/cancelMediaProcessing",
      appId: "../x",
    });
    await client.cancelMediaProcessing("c/1");
    expect(fetch.requests[0]?.url).toBe(
      "https://graph.microsoft.com/beta/applications/..%2Fx/calls/c%2F1/cancelMediaProcessing",
    );
  });

  it("builds the same URL as openapi-fetch's defaultPathSerializer, for every path and any ids", () => {
    const id = fc.string({ unit: "grapheme", minLength: 1 });
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(callsPaths)), id, id, (path, callId, appId) => {
        const options = { baseUrl: "https://graph.microsoft.com/beta", params: { path: { callId, appId } } };
        const noQuery = () => "";
        expect(createFinalURL(path, { ...options, pathSerializer, querySerializer: noQuery })).toBe(
          createFinalURL(path, {
            ...options,
            pathSerializer: defaultPathSerializer,
            querySerializer: noQuery,
          }),
        );
      }),
    );
  });
});
