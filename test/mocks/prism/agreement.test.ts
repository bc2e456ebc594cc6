import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { parseOperationPath } from "../../../src/core/operation-path.ts";
import { createGraphHandlers } from "../../../src/mocks/index.ts";
import { type SpecOperation, specOperations } from "../../../src/mocks/spec-operations.ts";
import { callId } from "../../support/seed-ids.ts";
import { readResponse, responseProblems, type WireResponse } from "../support/spec-response.ts";

const prismUrl = inject("prismUrl");
const token = { authorization: "Bearer agreement-token" };

interface Case {
  name: string;
  body: unknown;
  headers: Record<string, string>;
}

const cases: Case[] = [
  { name: "an empty body", body: {}, headers: token },
  { name: "a clientContext", body: { clientContext: "agree-1" }, headers: token },
  { name: "a clientContext of the wrong type", body: { clientContext: 42 }, headers: token },
  { name: "an unknown field", body: { extra: true }, headers: token },
  { name: "a clientContext over 256 characters", body: { clientContext: "x".repeat(257) }, headers: token },
  { name: "no bearer token", body: {}, headers: {} },
];

function send(base: string, op: SpecOperation, request: Case): Promise<WireResponse> {
  const path = op.path.replace("{callId}", callId).replace("{appId}", "app-1");
  return fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...request.headers },
    body: JSON.stringify(request.body),
  }).then(readResponse);
}

describe("MSW handlers and Prism agree with the spec and with each other", () => {
  const graph = createGraphHandlers();
  const server = setupServer(...graph.handlers);
  // Requests to Prism (127.0.0.1) are not the mock's: let them through.
  beforeAll(() => server.listen({ onUnhandledRequest: "bypass" }));
  afterAll(() => server.close());

  const matrix = specOperations().flatMap((op) => cases.map((request) => ({ op, request })));

  it.each(matrix)("$op.operationId with $request.name", async ({ op, request }) => {
    const fromMsw = await send(op.servers[0] ?? "", op, request);
    const fromPrism = await send(prismUrl, op, request);

    expect(responseProblems(op.path, fromMsw)).toEqual([]);
    expect(responseProblems(op.path, fromPrism)).toEqual([]);
    expect(fromMsw.status).toBe(fromPrism.status);
    for (const wire of [fromMsw, fromPrism]) {
      if (wire.status < 300) {
        expect(parseOperationPath(wire.headers.get("location") ?? "")).toBeDefined();
      } else {
        const error = JSON.parse(wire.text).error;
        expect(typeof error.code).toBe("string");
      }
    }
    if (fromMsw.status >= 400) {
      expect(JSON.parse(fromMsw.text).error.code).toBe(JSON.parse(fromPrism.text).error.code);
    }
  });
});
