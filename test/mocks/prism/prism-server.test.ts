import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { parseOperationPath } from "../../../src/core/operation-path.ts";
import { specExampleObject } from "../../../src/core/spec-document.ts";
import { describeErrors, specValidator } from "../../../src/core/spec-validator.ts";
import { specOperations } from "../../../src/mocks/spec-operations.ts";
import { type RecordingServer, startRecordingServer } from "../../support/recording-server.ts";
import { readResponse, responseProblems } from "../support/spec-response.ts";

const prismUrl = inject("prismUrl");
const callId = "11111111-2222-3333-4444-555555555555";
const concrete = (path: string) => path.replace("{callId}", callId).replace("{appId}", "app-1");

function send(path: string, body: unknown, headers: Record<string, string> = { authorization: "Bearer t" }) {
  return fetch(`${prismUrl}${concrete(path)}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

describe("the Prism mock server (started by the global setup)", () => {
  let listener: RecordingServer;
  beforeAll(async () => {
    listener = await startRecordingServer({ port: inject("prismCallbackPort") });
  });
  afterAll(() => listener.close());

  it.each(specOperations().filter((op) => !op.finalAnswer))(
    "answers a valid $operationId with its success, a Location and a callback naming that operation",
    async (op) => {
      listener.received.length = 0;
      const wire = await readResponse(await send(op.path, {}));
      expect(wire.status).toBe(op.successStatus);
      expect(responseProblems(op.path, wire)).toEqual([]);
      const named = parseOperationPath(wire.headers.get("location") ?? "");
      expect(named).toBeDefined();

      const callback = await listener.waitFor((c) => c.text.includes(`"${op.resourcePrefix}/calls/`));
      expect(callback.path).toBe("/api/calls");
      const body = JSON.parse(callback.text);
      const validate = specValidator("#/components/schemas/commsNotifications");
      expect(validate(body), describeErrors(validate.errors)).toBe(true);
      expect(body.value).toHaveLength(1);
      const entry = body.value[0];
      expect(parseOperationPath(entry.resourceUrl ?? entry.resource)).toEqual(named);
      expect(entry.resourceData.status).toBe("completed"); // the request succeeded
    },
  );

  // commsOperation.md: after a completed or failed answer "there won't be any subsequent operation via the notification channel".
  it("sends no callback after a final answer (200 with a completed operation), and one after a 202", async () => {
    listener.received.length = 0;
    const final = await send("/communications/calls/{callId}/cancelMediaProcessing", {});
    expect(final.status).toBe(200);
    expect((await final.json()).status).toBe("completed");
    const accepted = await send("/applications/{appId}/calls/{callId}/cancelMediaProcessing", {});
    expect(accepted.status).toBe(202);
    await listener.waitFor((c) => c.text.includes('"/app/calls/'));
    expect(listener.received.filter((c) => c.text.includes("/communications/calls/"))).toEqual([]);
  });

  it.each(specOperations())("answers an invalid body on $operationId with the spec's 400", async (op) => {
    const wire = await readResponse(await send(op.path, { clientContext: 42 }));
    expect(wire.status).toBe(400);
    expect(responseProblems(op.path, wire)).toEqual([]);
    expect(JSON.parse(wire.text)).toEqual(specExampleObject("badRequestError"));
  });

  it.each(
    specOperations().flatMap((op) => op.servers.map((server) => ({ op, version: new URL(server).pathname }))),
  )("answers $op.operationId under $version too, as Graph serves it", async ({ op, version }) => {
    const response = await fetch(`${prismUrl}${version}${concrete(op.path)}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer t" },
      body: "{}",
    });
    expect(response.status).toBe(op.successStatus);
    expect(parseOperationPath(response.headers.get("location") ?? "")).toBeDefined();
  });

  it.each(specOperations())(
    "answers $operationId at its namespace-qualified path too, as Graph does",
    async (op) => {
      const path = op.path.replace(/\/(\w+)$/, "/microsoft.graph.$1");
      const wire = await readResponse(await send(path, {}));
      expect(wire.status).toBe(op.successStatus);
      expect(responseProblems(op.path, wire)).toEqual([]);
    },
  );

  it("answers a wrong `all` with a 400 that blames no other field", async () => {
    const path = "/app/calls/{callId}/cancelMediaProcessing";
    const wire = await readResponse(await send(path, { all: "yes" }));
    expect(wire.status).toBe(400);
    expect(JSON.parse(wire.text).error.message).not.toMatch(/clientContext/);
    expect(wire.headers.get("sl-violations")).toMatch(/all/);
  });

  it("answers a request without a token with the spec's 401", async () => {
    const path = "/communications/calls/{callId}/cancelMediaProcessing";
    const wire = await readResponse(await send(path, {}, {}));
    expect(wire.status).toBe(401);
    expect(responseProblems(path, wire)).toEqual([]);
    expect(JSON.parse(wire.text)).toEqual(specExampleObject("unauthorizedError"));
  });
});
