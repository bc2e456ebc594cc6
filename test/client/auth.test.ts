import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCallsClient, GraphError, TokenError } from "../../src/client/index.ts";
import { accepted, callId, stubFetch } from "../support/fetch-stub.ts";
import { type RecordingServer, startRecordingServer } from "../support/recording-server.ts";

describe("token", () => {
  it.each([
    ["a string", "abc"],
    ["a function", () => "abc"],
    ["an async function", async () => "abc"],
    ["a function giving 'Bearer abc'", () => "Bearer abc"],
  ])("can be %s", async (_, token) => {
    const fetch = stubFetch(accepted());
    await createCallsClient({ token, fetch }).cancelMediaProcessing(callId);
    expect(fetch.requests[0]?.headers.get("authorization")).toBe("Bearer abc");
  });

  it("is asked for again on every call, so a refreshed token is used", async () => {
    let n = 0;
    const fetch = stubFetch(accepted());
    const client = createCallsClient({ token: () => `t${++n}`, fetch });
    await client.cancelMediaProcessing(callId);
    await client.cancelMediaProcessing(callId);
    expect(fetch.requests.map((r) => r.headers.get("authorization"))).toEqual(["Bearer t1", "Bearer t2"]);
  });

  it.each([
    [
      "throws",
      () => {
        throw new Error("no credentials");
      },
      "options.token failed: no credentials",
    ],
    ["rejects", () => Promise.reject(new Error("AAD down")), "options.token failed: AAD down"],
    ["gives undefined", () => undefined as unknown as string, "options.token gave undefined"],
    ["gives an empty string", () => "", "gave an empty or malformed token"],
    ["gives a token with a newline", () => "a\nb", "gave an empty or malformed token"],
    // Row 8 of issue 12: these reached fetch, which refused the header: a NetworkError although nothing was sent.
    ["gives a token with a euro sign", () => "abc€", "gave an empty or malformed token"],
    ["gives a token with \\x01", async () => "abc\x01", "gave an empty or malformed token"],
    ["gives a token with DEL (\\x7f)", () => "abc\x7f", "gave an empty or malformed token"],
    [
      "gives a token with a carriage return",
      async () => "abc\rX-Evil: 1",
      "gave an empty or malformed token",
    ],
  ])("fails with TokenError and sends nothing when the function %s", async (_, token, message) => {
    const fetch = stubFetch(accepted());
    const error = await createCallsClient({ token, fetch })
      .cancelMediaProcessing(callId)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenError);
    expect((error as TokenError).message).toContain(message);
    expect(fetch.requests).toHaveLength(0);
  });

  it("keeps the token function's error as the cause", async () => {
    const cause = new Error("no credentials");
    const error = await createCallsClient({
      token: () => {
        throw cause;
      },
      fetch: stubFetch(accepted()),
    })
      .cancelMediaProcessing(callId)
      .catch((e: unknown) => e);
    expect((error as TokenError).cause).toBe(cause);
  });
});

describe("the token goes only to baseUrl's origin (real HTTP on 127.0.0.1)", () => {
  let graph: RecordingServer;
  let elsewhere: RecordingServer;

  beforeAll(async () => {
    elsewhere = await startRecordingServer({
      answer: (_, response) => {
        response.writeHead(202, { Location: `/app/calls/${callId}/operations/op-1` }).end();
      },
    });
    graph = await startRecordingServer({
      answer: (request, response) => {
        if (request.path.includes("redirect-me")) {
          response.writeHead(307, { Location: `${elsewhere.origin}${request.path}` }).end();
        } else {
          response.writeHead(202, { Location: `${graph.origin}/app/calls/${callId}/operations/op-1` }).end();
        }
      },
    });
  });
  afterAll(async () => {
    await graph.close();
    await elsewhere.close();
  });

  it("sends Authorization to the configured base URL, which may be a non-Graph host", async () => {
    const client = createCallsClient({ token: "secret", baseUrl: graph.origin });
    const ref = await client.cancelMediaProcessing(callId);
    expect(ref.location).toBe(`${graph.origin}/app/calls/${callId}/operations/op-1`);
    expect(graph.received.at(-1)?.headers.authorization).toBe("Bearer secret");
  });

  it("does not follow a redirect to another origin: GraphError, and the other server sees nothing", async () => {
    const client = createCallsClient({ token: "secret", baseUrl: graph.origin });
    const error = await client.cancelMediaProcessing("redirect-me").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphError);
    expect((error as GraphError).status).toBe(307);
    expect(elsewhere.received).toEqual([]);
  });

  it("refuses a token function's header-breaking token before anything reaches the server", async () => {
    const client = createCallsClient({ token: () => "secret\x01", baseUrl: graph.origin });
    const before = graph.received.length;
    const error = await client.cancelMediaProcessing(callId).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenError);
    expect(graph.received).toHaveLength(before);
  });
});
