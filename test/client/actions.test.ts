/**
 * Every action of the spec is a method of the client, addressed under the client's call base:
 * playPrompt and recordResponse (2018: record) beside cancelMediaProcessing. Bodies are the
 * Microsoft examples the spec holds (test/fixtures/graph/requests/, with their sources).
 */
import { describe, expect, it } from "vitest";
import { createCallsClient } from "../../src/client/client.ts";
import { InvalidArgumentError } from "../../src/core/errors.ts";
import { specExample, specExampleObject } from "../../src/core/spec-document.ts";
import { callId, stubFetch } from "../support/fetch-stub.ts";

const v1 = "https://graph.microsoft.com/v1.0";
const current = "/communications/calls/{callId}/cancelMediaProcessing" as const;

describe("the client's actions", () => {
  it("playPrompt POSTs Microsoft's v1.0 request and returns the running operation, to wait for", async () => {
    const body = specExampleObject("currentPlayPromptOperation");
    const fetch = stubFetch(Response.json(body, { status: 200 }));
    const client = createCallsClient({ token: "t", baseUrl: v1, path: current, fetch });
    const op = await client.playPrompt(callId, specExample("currentPlayPromptRequest") as never);
    expect(fetch.requests[0]?.url).toBe(`${v1}/communications/calls/${callId}/playPrompt`);
    expect(JSON.parse(fetch.requests[0]?.body ?? "")).toEqual(specExample("currentPlayPromptRequest"));
    expect(op).toMatchObject({
      httpStatus: 200,
      status: "running",
      operationId: body.id,
      location: `${v1}/communications/calls/${callId}/operations/${body.id}`,
    });
  });

  it("recordResponse on the 2018 /app base is the 2018 record action, answered 202 + Location", async () => {
    const location = `https://graph.microsoft.com/beta/app/calls/${callId}/operations/9d2f6c44-7b1a-4e3c-8f5d-2a6b0c9e7d13`;
    const fetch = stubFetch(new Response(null, { status: 202, headers: { Location: location } }));
    const client = createCallsClient({ token: "t", fetch });
    const op = await client.recordResponse(callId, specExample("beta2018RecordRequest") as never);
    expect(fetch.requests[0]?.url).toBe(`https://graph.microsoft.com/beta/app/calls/${callId}/record`);
    expect(op).toMatchObject({
      httpStatus: 202,
      operationId: "9d2f6c44-7b1a-4e3c-8f5d-2a6b0c9e7d13",
      location,
    });
  });

  it("checks each action's body against its own path before sending", async () => {
    const fetch = stubFetch(Response.json({}, { status: 500 }));
    const seed = createCallsClient({ token: "t", fetch });
    const now = createCallsClient({ token: "t", baseUrl: v1, path: current, fetch });
    await expect(seed.playPrompt(callId, { loop: true } as never)).rejects.toThrow(
      /body\.loop is not allowed on this path \(only on \/communications\/calls\/\{callId\}\/playPrompt\)/,
    );
    await expect(now.recordResponse(callId, { maxSilenceTimeoutInSeconds: 2.5 })).rejects.toThrow(
      InvalidArgumentError,
    );
    await expect(now.recordResponse(callId, { stopTones: "#" as never })).rejects.toThrow(
      /body\.stopTones must be an array/,
    );
    expect(fetch.requests).toHaveLength(0);
  });

  it("has one method per action of the spec, whatever the call base", () => {
    for (const client of [
      createCallsClient({ token: "t" }),
      createCallsClient({
        token: "t",
        path: "/applications/{appId}/calls/{callId}/cancelMediaProcessing",
        appId: "a",
      }),
      createCallsClient({ token: "t", path: current }),
    ]) {
      expect(Object.keys(client).sort()).toEqual([
        "baseUrl",
        "cancelMediaProcessing",
        "path",
        "playPrompt",
        "recordResponse",
      ]);
    }
  });
});
