/**
 * Microsoft's Graph JS SDK (`@microsoft/microsoft-graph-client`) against the MSW mock: the SDK always
 * puts a version first (`/beta`, `/v1.0`), which the mock serves as Graph does; `Location` is read
 * through `ResponseType.RAW`; a 429 is retried by the SDK's own RetryHandler as `Retry-After` says.
 */
import { ResponseType } from "@microsoft/microsoft-graph-client";
import { describe, expect, it } from "vitest";
import { useGraphMock } from "../support/graph-server.ts";
import { callId } from "../support/seed-ids.ts";
import { graphSdkClient } from "./support/graph-sdk.ts";

const base = "http://127.0.0.1:4010";

describe("the Graph SDK against the MSW mock", () => {
  const graph = useGraphMock({ baseUrl: base });

  it("v1.0 /communications: 200 with the operation, Location read through ResponseType.RAW", async () => {
    const sdk = graphSdkClient(base, { version: "v1.0" });
    const response: Response = await sdk
      .api(`/communications/calls/${callId}/cancelMediaProcessing`)
      .responseType(ResponseType.RAW)
      .post({ clientContext: "sdk-1" });
    expect(response.status).toBe(200);
    const operation = graph.operations[0];
    expect(response.headers.get("location")).toBe(
      `${base}/v1.0/communications/calls/${callId}/operations/${operation?.operationId}`,
    );
    expect(await response.json()).toMatchObject({ id: operation?.operationId, clientContext: "sdk-1" });
    expect(graph.requests[0]?.headers.authorization).toBe("Bearer app-token");
  });

  it("beta /applications: 202 with Location and no body", async () => {
    const sdk = graphSdkClient(base, { version: "beta" });
    const response: Response = await sdk
      .api(`/applications/app-1/calls/${callId}/cancelMediaProcessing`)
      .responseType(ResponseType.RAW)
      .post({ all: true });
    expect(response.status).toBe(202);
    expect(response.headers.get("location")).toMatch(
      new RegExp(`^${base}/beta/app/calls/${callId}/operations/[0-9a-f-]{36}$`),
    );
    expect(await response.text()).toBe("");
  });

  it("a 429 is retried by the SDK's RetryHandler after Retry-After, then succeeds", async () => {
    graph.scenario("throttled", { times: 2, retryAfter: 0.05 });
    const sdk = graphSdkClient(base, { version: "beta" });
    const response: Response = await sdk
      .api(`/app/calls/${callId}/cancelMediaProcessing`)
      .responseType(ResponseType.RAW)
      .post({ clientContext: "sdk-retry" });
    expect(response.status).toBe(200);
    expect(graph.requests.map((r) => [r.status, r.headers["retry-attempt"]])).toEqual([
      [429, undefined],
      [429, "1"],
      [200, "2"],
    ]);
    expect(graph.operations).toHaveLength(1);
  });
});
