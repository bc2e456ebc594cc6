import { describe, expect, it } from "vitest";
import openapi from "../../generated/openapi.json" with { type: "json" };
import {
  CallsClientError,
  createCallsClient,
  GraphError,
  InvalidArgumentError,
  NetworkError,
} from "../../src/client/index.ts";
import { callId, graphError, stubFetch } from "../support/fetch-stub.ts";

async function graphErrorFor(...responses: Response[]): Promise<GraphError> {
  const client = createCallsClient({ token: "t", fetch: stubFetch(...responses), retry: false });
  const error = await client.cancelMediaProcessing(callId).catch((e: unknown) => e);
  if (!(error instanceof GraphError)) throw new Error(`expected a GraphError, got ${String(error)}`);
  return error;
}

const examples = openapi.components.examples;

describe("error statuses throw GraphError", () => {
  it.each([
    [400, examples.badRequestError.value],
    [401, examples.unauthorizedError.value],
    [403, examples.forbiddenError.value],
    [404, examples.notFoundError.value],
    [429, examples.throttledError.value],
    [500, examples.internalServerError.value],
    [503, examples.serviceUnavailableError.value],
    [504, examples.gatewayTimeoutError.value],
    [409, { error: { code: "Conflict", message: "Something else is happening." } }],
  ])("%i, built from the spec's OData error body", async (status, body) => {
    const error = await graphErrorFor(Response.json(body, { status }));
    expect(error).toBeInstanceOf(GraphError);
    expect(error.status).toBe(status);
    expect(error.code).toBe(body.error.code);
    expect(error.message).toBe(`Graph answered ${status} ${body.error.code}: ${body.error.message}`);
    expect(error.body).toEqual(body);
    expect(error.mainError).toEqual(body.error);
    expect(error.url).toBe(`https://graph.microsoft.com/beta/app/calls/${callId}/cancelMediaProcessing`);
    expect(error.attempts).toBe(1);
  });

  it("takes requestId, clientRequestId and date from innerError", async () => {
    const body = examples.throttledError.value;
    const error = await graphErrorFor(
      Response.json(body, { status: 429, headers: { "Retry-After": "2.128" } }),
    );
    expect([error.requestId, error.clientRequestId, error.date, error.retryAfterMs]).toEqual([
      body.error.innerError["request-id"],
      body.error.innerError["client-request-id"],
      body.error.innerError.date,
      2128,
    ]);
  });

  it("falls back to the request-id, client-request-id and Date headers", async () => {
    const headers = {
      "request-id": "r-9",
      "client-request-id": "c-9",
      Date: "Tue, 18 Dec 2018 10:00:00 GMT",
    };
    const error = await graphErrorFor(graphError(404, "NotFound", headers));
    expect([error.requestId, error.clientRequestId, error.date]).toEqual(["r-9", "c-9", headers.Date]);
  });

  it("still gives a useful GraphError for a non-JSON body", async () => {
    const error = await graphErrorFor(
      new Response("<html><body>Bad gateway</body></html>", { status: 502, statusText: "Bad Gateway" }),
    );
    expect(error.code).toBe("HttpError502");
    expect(error.message).toBe("Graph answered 502 Bad Gateway: <html><body>Bad gateway</body></html>");
    expect(error.body).toBe("<html><body>Bad gateway</body></html>");
    expect(error.mainError).toBeUndefined();
  });

  it("still gives a useful GraphError for an empty body", async () => {
    const error = await graphErrorFor(new Response(null, { status: 401 }));
    expect([error.code, error.message, error.body]).toEqual([
      "HttpError401",
      "Graph answered 401: (empty body)",
      "",
    ]);
  });

  it("shortens a long non-OData body in the message but keeps it whole in body", async () => {
    const body = { unexpected: "x".repeat(500) };
    const error = await graphErrorFor(Response.json(body, { status: 500 }));
    expect(error.message.length).toBeLessThan(260);
    expect(error.message.endsWith("…")).toBe(true);
    expect(error.body).toEqual(body);
  });

  it("ignores an innerError that is not an object", async () => {
    const body = { error: { code: "X", message: "m", innerError: "nope" } };
    const error = await graphErrorFor(Response.json(body, { status: 400, headers: { "request-id": "h" } }));
    expect([error.code, error.requestId]).toEqual(["X", "h"]);
  });

  it("treats a redirect as an error instead of following it (the token is sent only to baseUrl)", async () => {
    const fetch = stubFetch(
      new Response(null, { status: 307, headers: { Location: "https://elsewhere.example/steal" } }),
    );
    const client = createCallsClient({ token: "t", fetch, retry: false });
    const error = await client.cancelMediaProcessing(callId).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphError);
    expect((error as GraphError).status).toBe(307);
    // fetch itself must not follow it: "manual" hands the 3xx back instead of re-sending the token.
    expect(fetch.requests.map((request) => request.redirect)).toEqual(["manual"]);
  });
});

describe("network failures", () => {
  it("throw NetworkError with the fetch error as cause, and are not retried", async () => {
    const cause = new TypeError("fetch failed");
    const fetch = stubFetch(() => {
      throw cause;
    });
    const client = createCallsClient({ token: "t", fetch });
    const error = await client.cancelMediaProcessing(callId).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).cause).toBe(cause);
    expect((error as NetworkError).message).toBe(
      `Request to https://graph.microsoft.com/beta/app/calls/${callId}/cancelMediaProcessing failed: fetch failed`,
    );
    expect(fetch.requests).toHaveLength(1);
  });
});

describe("error classes", () => {
  it.each([
    ["GraphError", () => graphErrorFor(graphError(404, "NotFound"))],
    [
      "NetworkError",
      () =>
        createCallsClient({
          token: "t",
          fetch: stubFetch(() => {
            throw new TypeError("fetch failed");
          }),
        })
          .cancelMediaProcessing(callId)
          .catch((e: unknown) => e),
    ],
  ])("%s is a CallsClientError and an Error, named after its class", async (name, make) => {
    const error = await make();
    expect(error).toBeInstanceOf(CallsClientError);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe(name);
    expect(String(error)).toMatch(new RegExp(`^${name}: `));
  });

  it("InvalidArgumentError, shared by every entry, is a TypeError and not a CallsClientError", async () => {
    const error = await createCallsClient({ token: "t" })
      .cancelMediaProcessing("")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error).toBeInstanceOf(TypeError);
    expect(error).not.toBeInstanceOf(CallsClientError);
    expect(String(error)).toMatch(/^InvalidArgumentError: callId /);
  });
});
