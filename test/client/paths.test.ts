import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import openapi from "../../generated/openapi.json" with { type: "json" };
import { createCallsClient } from "../../src/client/index.ts";
import { appId } from "../support/seed-ids.ts";

const examples = openapi.components.examples;
const seedLocation = examples.seedLocation.value;
const currentLocation = examples.currentLocation.value;
const currentOperation = examples.currentOperation.value;
const callId = "57DAB8B1894C409AB240BD8BEAE78896";
const expectedIds = {
  callId: "57dab8b1-894c-409a-b240-bd8beae78896",
  operationId: "0fe0623f-d628-42ed-b4bd-8ac290072cc5",
};

interface Seen {
  url: string;
  authorization: string | null;
  contentType: string | null;
  body: unknown;
}
const seen: Seen[] = [];

async function record(request: Request): Promise<void> {
  seen.push({
    url: request.url,
    authorization: request.headers.get("authorization"),
    contentType: request.headers.get("content-type"),
    body: await request.json(),
  });
}

const server = setupServer(
  http.post(
    "https://graph.microsoft.com/beta/app/calls/:callId/cancelMediaProcessing",
    async ({ request }) => {
      await record(request);
      return new HttpResponse(null, { status: 202, headers: { Location: seedLocation } });
    },
  ),
  http.post(
    "https://graph.microsoft.com/beta/applications/:appId/calls/:callId/cancelMediaProcessing",
    async ({ request }) => {
      await record(request);
      return new HttpResponse(null, { status: 202, headers: { Location: seedLocation } });
    },
  ),
  http.post(
    "https://graph.microsoft.com/v1.0/communications/calls/:callId/cancelMediaProcessing",
    async ({ request }) => {
      await record(request);
      return HttpResponse.json(currentOperation, { status: 200, headers: { Location: currentLocation } });
    },
  ),
);

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => {
  seen.length = 0;
});
afterAll(() => server.close());

describe("cancelMediaProcessing on each path of the spec (MSW)", () => {
  it("defaults to the seed's /app/calls/{callId} path on Graph beta, answered 202 + Location", async () => {
    const client = createCallsClient({ token: () => "app-token" });
    const op = await client.cancelMediaProcessing(callId, examples.seedRequest.value);

    expect(op).toEqual({ ...expectedIds, location: seedLocation, httpStatus: 202 });
    expect(seen).toEqual([
      {
        url: `https://graph.microsoft.com/beta/app/calls/${callId}/cancelMediaProcessing`,
        authorization: "Bearer app-token",
        contentType: "application/json",
        body: { all: true, clientContext: "clientContext-value" },
      },
    ]);
  });

  it("calls /applications/{appId}/calls/{callId} with the appId option", async () => {
    const client = createCallsClient({
      token: "app-token",
      path: "/applications/{appId}/calls/{callId}/cancelMediaProcessing",
      appId,
    });
    const op = await client.cancelMediaProcessing(callId, { all: false });

    expect(op).toEqual({ ...expectedIds, location: seedLocation, httpStatus: 202 });
    expect(seen.map((s) => [s.url, s.body])).toEqual([
      [
        `https://graph.microsoft.com/beta/applications/${appId}/calls/${callId}/cancelMediaProcessing`,
        { all: false },
      ],
    ]);
  });

  it("calls /communications/calls/{callId} and returns the 200 operation body with its status", async () => {
    const client = createCallsClient({
      token: async () => "app-token",
      baseUrl: "https://graph.microsoft.com/v1.0/",
      path: "/communications/calls/{callId}/cancelMediaProcessing",
    });
    const op = await client.cancelMediaProcessing(callId, examples.currentRequest.value);

    expect(op).toEqual({
      ...expectedIds,
      location: currentLocation,
      httpStatus: 200,
      status: "completed",
      operation: currentOperation,
    });
    expect(seen.map((s) => [s.url, s.body])).toEqual([
      [
        `https://graph.microsoft.com/v1.0/communications/calls/${callId}/cancelMediaProcessing`,
        { clientContext: "d45324c1-fcb5-430a-902c-f20af696537c" },
      ],
    ]);
  });

  it("sends {} when no body is given (the spec requires a body; both fields are optional)", async () => {
    const client = createCallsClient({ token: "t" });
    await client.cancelMediaProcessing(callId);
    expect(seen.map((s) => s.body)).toEqual([{}]);
  });

  it("reports the client's base URL and path", () => {
    const client = createCallsClient({ token: "t", baseUrl: "https://graph.microsoft.com/v1.0/" });
    expect([client.baseUrl, client.path]).toEqual([
      "https://graph.microsoft.com/v1.0",
      "/app/calls/{callId}/cancelMediaProcessing",
    ]);
  });
});
