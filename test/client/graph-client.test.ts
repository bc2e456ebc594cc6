/** createGraphClient: openapi-fetch's createClient over the whole spec, with Graph's token, retries and errors as middleware. */
import { describe, expect, it } from "vitest";
import { GraphError } from "../../src/client/errors.ts";
import { createGraphClient } from "../../src/client/graph-client.ts";
import { specExample, specExampleObject } from "../../src/core/spec-document.ts";
import { callId, graphError, stubFetch } from "../support/fetch-stub.ts";

const v1 = "https://graph.microsoft.com/v1.0";

describe("createGraphClient", () => {
  it("calls any operation of the spec with the token, retrying a 429 as Retry-After says", async () => {
    const running = specExampleObject("currentRecordOperation");
    const fetch = stubFetch(
      graphError(429, "TooManyRequests", { "Retry-After": "0" }),
      Response.json(running),
    );
    const graph = createGraphClient({ token: async () => "Bearer tok", baseUrl: v1, fetch });
    const body = specExample("currentRecordResponseRequest") as never;
    const { data, response } = await graph.POST("/communications/calls/{callId}/recordResponse", {
      params: { path: { callId } },
      body,
    });
    expect(response.status).toBe(200);
    expect(data?.status).toBe("running");
    expect(fetch.requests.map((r) => [r.url, r.headers.get("authorization"), JSON.parse(r.body)])).toEqual([
      [`${v1}/communications/calls/${callId}/recordResponse`, "Bearer tok", body],
      [`${v1}/communications/calls/${callId}/recordResponse`, "Bearer tok", body],
    ]);
  });

  it("throws GraphError for an error answer, and runs the user's own middleware", async () => {
    const fetch = stubFetch(graphError(404, "NotFound"));
    const graph = createGraphClient({ token: "tok", fetch, retry: false });
    const seen: string[] = [];
    graph.use({ onRequest: ({ schemaPath }) => void seen.push(schemaPath) });
    const error = await graph
      .POST("/app/calls/{callId}/playPrompt", { params: { path: { callId } }, body: {} })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphError);
    expect(error).toMatchObject({ status: 404, code: "NotFound" });
    expect(seen).toEqual(["/app/calls/{callId}/playPrompt"]);
  });

  it("refuses bad options as createCallsClient does", () => {
    expect(() => createGraphClient({ token: "tok", baseUrl: "http://graph.example" })).toThrow(
      /options\.baseUrl/,
    );
    expect(() => createGraphClient({ token: "tok", fetsh: fetch } as never)).toThrow(
      /options.fetsh is not allowed/,
    );
  });
});
