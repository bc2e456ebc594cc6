import { describe, expect, it } from "vitest";
import { specExampleObject } from "../../src/core/spec-document.ts";
import type { CallsPath } from "../../src/mocks/index.ts";
import { post, useGraphMock } from "../support/graph-server.ts";
import { readResponse, responseProblems } from "./support/spec-response.ts";

const seedPath: CallsPath = "/app/calls/{callId}/cancelMediaProcessing";
const currentPath: CallsPath = "/communications/calls/{callId}/cancelMediaProcessing";
const seedUrl =
  "https://graph.microsoft.com/beta/app/calls/57dab8b1-894c-409a-b240-bd8beae78896/cancelMediaProcessing";
const currentUrl =
  "https://graph.microsoft.com/v1.0/communications/calls/57dab8b1-894c-409a-b240-bd8beae78896/cancelMediaProcessing";

async function errorOf(response: Response, path: CallsPath) {
  const wire = await readResponse(response);
  expect(responseProblems(path, wire)).toEqual([]);
  return { status: wire.status, error: JSON.parse(wire.text).error, headers: wire.headers };
}

describe("request validation", () => {
  const graph = useGraphMock();
  const unauthorized = specExampleObject("unauthorizedError") as { error: { code: string; message: string } };

  it.each([
    ["no Authorization header", {}],
    ["an empty bearer token", { authorization: "Bearer " }],
  ])("answers 401 in Graph's shape for %s", async (_, headers) => {
    const { status, error } = await errorOf(await post(currentUrl, {}, headers), currentPath);
    expect(status).toBe(401);
    expect(error.code).toBe(unauthorized.error.code);
    expect(error.message).toBe(unauthorized.error.message);
    expect(error.innerError["request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("answers 401 naming the problem for a token that is not a bearer token", async () => {
    const { status, error } = await errorOf(
      await post(seedUrl, {}, { authorization: "Basic dXNlcjpwdw==" }),
      seedPath,
    );
    expect(status).toBe(401);
    expect(error.message).toMatch(/Bearer <access token>/);
  });

  it.each([
    ["a wrong type", seedPath, seedUrl, { all: "yes" }, /body\/all must be boolean/],
    ["an unknown field", seedPath, seedUrl, { all: true, extra: 1 }, /unknown property "extra"/],
    [
      "the removed all flag on the current path",
      currentPath,
      currentUrl,
      { all: true },
      /unknown property "all"/,
    ],
    [
      "a clientContext over 256 characters",
      currentPath,
      currentUrl,
      { clientContext: "x".repeat(257) },
      /body\/clientContext must NOT have more than 256 characters/,
    ],
    ["a body that is not an object", currentPath, currentUrl, [1, 2], /body must be object/],
    ["text that is not JSON", currentPath, currentUrl, "{not json", /not valid JSON/],
    ["an empty body", currentPath, currentUrl, "", /a JSON body is required/],
  ] as const)("answers 400 for %s", async (_, path, url, body, message) => {
    const { status, error } = await errorOf(await post(url, body), path);
    expect(status).toBe(400);
    expect(error.code).toBe("BadRequest");
    expect(error.message).toMatch(/^Invalid request body: /);
    expect(error.message).toMatch(message);
    expect(graph.operations).toEqual([]);
  });

  it("accepts a clientContext of exactly 256 characters", async () => {
    const response = await post(currentUrl, { clientContext: "x".repeat(256) });
    expect(response.status).toBe(200);
  });

  it("answers 415 (Graph's default error shape) to a body that is not JSON by Content-Type", async () => {
    const response = await fetch(currentUrl, {
      method: "POST",
      headers: { authorization: "Bearer t", "content-type": "text/plain" },
      body: "{}",
    });
    const { status, error } = await errorOf(response, currentPath);
    expect(status).toBe(415);
    expect(error.message).toMatch(/text\/plain/);
  });

  it("echoes client-request-id in the error and its headers", async () => {
    const response = await post(
      currentUrl,
      { all: 1 },
      { authorization: "Bearer t", "client-request-id": "c-42" },
    );
    const { error, headers } = await errorOf(response, currentPath);
    expect(error.innerError["client-request-id"]).toBe("c-42");
    expect(headers.get("client-request-id")).toBe("c-42");
    expect(headers.get("request-id")).toBe(error.innerError["request-id"]);
  });

  it("records invalid requests with the status they got", async () => {
    await post(currentUrl, "{not json");
    await post(currentUrl, {}, {});
    expect(graph.requests.map((r) => [r.status, r.body])).toEqual([
      [400, "{not json"],
      [401, {}],
    ]);
  });
});
