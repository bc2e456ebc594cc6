import { describe, expect, it, vi } from "vitest";
import { parseOperationPath } from "../../src/core/operation-path.ts";
import { createGraphHandlers, InvalidArgumentError } from "../../src/mocks/index.ts";
import { specOperations } from "../../src/mocks/spec-operations.ts";
import { post, useGraphMock } from "../support/graph-server.ts";
import { appId, callId } from "../support/seed-ids.ts";
import { readResponse, responseProblems } from "./support/spec-response.ts";

function concrete(path: string): string {
  return path.replace("{callId}", callId).replace("{appId}", appId);
}

const cases = specOperations().flatMap((op) =>
  op.servers.map((server) => ({ op, server, url: `${server}${concrete(op.path)}` })),
);

describe("createGraphHandlers: the success response of each path", () => {
  const graph = useGraphMock();

  it.each(cases)("answers $url as the spec says", async ({ op, url }) => {
    const body =
      op.contract === "2018-beta" ? { all: true, clientContext: "ctx-1" } : { clientContext: "ctx-1" };
    const wire = await readResponse(await post(url, body));

    expect(wire.status).toBe(op.successStatus);
    expect(responseProblems(op.path, wire)).toEqual([]);
    const location = wire.headers.get("location") ?? "";
    const named = parseOperationPath(location);
    expect(named?.callId).toBe(callId);
    expect(location.startsWith(url.slice(0, url.indexOf(op.path.split("/")[1] ?? "")))).toBe(true);
    const issued = graph.operations.at(-1);
    expect(issued?.operationId).toBe(named?.operationId);
    expect(issued?.location).toBe(location);
    expect(issued?.clientContext).toBe("ctx-1");
    if (op.successBodySchema) {
      expect(JSON.parse(wire.text)).toMatchObject({ id: named?.operationId, clientContext: "ctx-1" });
    } else {
      expect(wire.text).toBe("");
    }
  });

  it("gives every operation a fresh id", async () => {
    const url = `https://graph.microsoft.com/v1.0${concrete("/communications/calls/{callId}/cancelMediaProcessing")}`;
    const first = await post(url, {});
    const second = await post(url, {});
    expect(first.headers.get("location")).not.toBe(second.headers.get("location"));
    expect(new Set(graph.operations.map((op) => op.operationId)).size).toBe(2);
  });

  it("leaves clientContext out of the body when the request had none", async () => {
    const url = `https://graph.microsoft.com/v1.0${concrete("/communications/calls/{callId}/cancelMediaProcessing")}`;
    const body = await (await post(url, {})).json();
    expect(body).not.toHaveProperty("clientContext");
    expect(body.id).toBe(graph.operations[0]?.operationId);
  });

  it("records what the code under test sent", async () => {
    const url = `https://graph.microsoft.com/beta${concrete("/applications/{appId}/calls/{callId}/cancelMediaProcessing")}`;
    await post(url, { all: false }, { authorization: "Bearer abc", "client-request-id": "req-7" });
    expect(graph.requests).toEqual([
      expect.objectContaining({
        path: "/applications/{appId}/calls/{callId}/cancelMediaProcessing",
        specOperationId: "applicationCancelMediaProcessing",
        url,
        callId,
        appId,
        body: { all: false },
        status: 202,
        headers: expect.objectContaining({ authorization: "Bearer abc", "client-request-id": "req-7" }),
      }),
    ]);
  });

  it("serves the /app path only on the servers the spec lists for it (v1.0 answers Graph's 400)", async () => {
    const url = `https://graph.microsoft.com/v1.0${concrete("/app/calls/{callId}/cancelMediaProcessing")}`;
    const response = await post(url, {});
    expect(response.status).toBe(400);
    expect((await response.json()).error.message).toMatch(/Resource not found for the segment 'app'/);
  });

  it("normalises the call id of the Location to a lowercase dashed GUID", async () => {
    const url =
      "https://graph.microsoft.com/beta/app/calls/57DAB8B1894C409AB240BD8BEAE78896/cancelMediaProcessing";
    const response = await post(url, {});
    expect(response.headers.get("location")).toContain(`/app/calls/${callId}/operations/`);
  });
});

describe("createGraphHandlers options", () => {
  const ids = ["11111111-2222-3333-4444-555555555555", "AAAAAAAABBBBCCCCDDDDEEEEEEEEEEEE"];
  const graph = useGraphMock({
    baseUrl: ["http://127.0.0.1:4010/", "https://graph.example/v1.0"],
    operationId: () => ids.shift() ?? "exhausted",
  });

  it("serves every path on each given baseUrl and names the Location from it", async () => {
    const first = await post(
      `http://127.0.0.1:4010${concrete("/app/calls/{callId}/cancelMediaProcessing")}`,
      {},
    );
    const second = await post(
      `https://graph.example/v1.0${concrete("/communications/calls/{callId}/cancelMediaProcessing")}`,
      {},
    );
    expect(first.headers.get("location")).toBe(
      `http://127.0.0.1:4010/app/calls/${callId}/operations/11111111-2222-3333-4444-555555555555`,
    );
    expect(second.headers.get("location")).toBe(
      `https://graph.example/v1.0/communications/calls/${callId}/operations/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee`,
    );
    expect(graph.operations.map((op) => op.operationId)).toEqual([
      "11111111-2222-3333-4444-555555555555",
      "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
    ]);
  });

  it.each([
    [{ baseUrl: "graph.microsoft.com" }, /options.baseUrl must be an absolute http\(s\) URL/],
    [{ baseUrl: "ftp://graph.example" }, /options.baseUrl must use http or https/],
    [{ baseUrl: ["https://a.example", 42] }, /options.baseUrl\[1\] must be an absolute/],
    [{ baseUrl: [] }, /at least one URL/],
    [{ callbackUrl: "not a url" }, /options.callbackUrl must be an absolute/],
    [{ operationId: "fixed" }, /options.operationId must be a function/],
    [{ notificationToken: "a b" }, /options.notificationToken must be a non-empty string/],
    [
      { notificationToken: "t", notificationSigner: { mint: async () => "x" } },
      /options.notificationSigner cannot be combined with notificationToken/,
    ],
    [{ baseURL: "https://graph.example" }, /options.baseURL is not allowed \(did you mean "baseUrl"\?\)/],
    [{ callbackURL: "http://127.0.0.1:1/" }, /did you mean "callbackUrl"\?/],
  ])("rejects bad options %j with InvalidArgumentError", (options, message) => {
    expect(() => createGraphHandlers(options as never)).toThrow(InvalidArgumentError);
    expect(() => createGraphHandlers(options as never)).toThrow(message);
  });
});

describe("createGraphHandlers operationId option", () => {
  const graph = useGraphMock({ operationId: () => "same-id" });

  it("refuses an id it already issued, so notify() can always tell operations apart", async () => {
    const url = `https://graph.microsoft.com/v1.0${concrete("/communications/calls/{callId}/cancelMediaProcessing")}`;
    expect((await post(url, {})).status).toBe(200);
    const printed = vi.spyOn(console, "error").mockImplementation(() => {}); // MSW reports the handler's throw
    let second: Response;
    try {
      second = await post(url, {});
      await vi.waitFor(() =>
        expect(printed.mock.calls.flat().map(String).join("\n")).toContain('returned "same-id" twice'),
      );
    } finally {
      printed.mockRestore();
    }
    expect(second.status).toBe(500);
    expect(await second.text()).toMatch(/returned \\"same-id\\" twice/);
    expect(graph.operations).toHaveLength(1);
    expect(graph.requests.map((request) => request.status)).toEqual([200, 500]);
  });
});
