/**
 * The MSW mock as a simulator of each call's media queue: what Graph answers and which
 * notifications follow. Sources: call-cancelmediaprocessing.md (v1.0 and beta: "cancels any
 * operation that is in-process as well as operations that are queued"; 200 with a completed
 * operation), commsoperation.md ("If for example, an operation with status of completed or failed
 * is returned, there won't be any subsequent operation via the notification channel"), and the 2018
 * beta page (202, then the cancel operation's own notification; `all` "whether to stop all
 * operations or current").
 */
import { describe, expect, it } from "vitest";
import { specExampleObject } from "../../src/core/spec-document.ts";
import type { CommsNotifications } from "../../src/mocks/index.ts";
import { callId } from "../support/seed-ids.ts";
import { post, useGraphMock } from "./support/graph-server.ts";

const received: CommsNotifications[] = [];
const graph = useGraphMock({ callbackUrl: (batch) => void received.push(batch), mediaDurationMs: Infinity });
const beta = "https://graph.microsoft.com/beta";
const v1 = "https://graph.microsoft.com/v1.0";

function statuses(batches: readonly CommsNotifications[]) {
  return batches.map((batch) => batch.value.map((n) => (n.resourceData as { status?: string }).status));
}

describe("cancelMediaProcessing on a call with nothing queued", () => {
  it("v1.0 answers 200 with a completed operation and sends no notification for it", async () => {
    received.length = 0;
    const response = await post(`${v1}/communications/calls/${callId}/cancelMediaProcessing`, {});
    expect(response.status).toBe(200);
    expect((await response.json()).status).toBe("completed");
    await graph.settled();
    expect(graph.notifications).toEqual([]);
    expect(received).toEqual([]);
  });

  it("the 2018 /applications path answers 202 and then the cancel operation's own notification, completed", async () => {
    received.length = 0;
    const response = await post(`${beta}/applications/app-1/calls/${callId}/cancelMediaProcessing`, {
      all: true,
    });
    expect(response.status).toBe(202);
    expect(await response.text()).toBe("");
    await graph.settled();
    expect(graph.notifications.map((n) => n.reason)).toEqual(["cancelOperation"]);
    expect(statuses(received)).toEqual([["completed"]]);
    const [batch] = received;
    const example = specExampleObject("beta2018Notification") as unknown as CommsNotifications;
    expect(batch?.value[0]?.resource).toMatch(
      /^\/app\/calls\/57DAB8B1894C409AB240BD8BEAE78896\/operations\//,
    );
    const typeOf = (b: CommsNotifications | undefined) =>
      (b?.value[0]?.resourceData as { "@odata.type"?: string })?.["@odata.type"];
    expect(typeOf(batch)).toBe(typeOf(example));
  });

  it("the /app path answers 200 (present-day beta), or 202 with its notification when asked with Prefer: code=202", async () => {
    received.length = 0;
    const url = `${beta}/app/calls/${callId}/cancelMediaProcessing`;
    expect((await post(url, { all: true })).status).toBe(200);
    const accepted = await post(url, { all: true }, { authorization: "Bearer t", prefer: "code=202" });
    expect(accepted.status).toBe(202);
    expect(accepted.headers.get("location")).toMatch(/\/app\/calls\/.+\/operations\//);
    await graph.settled();
    expect(graph.notifications).toHaveLength(1);
    expect(graph.requests.map((r) => r.status)).toEqual([200, 202]);
  });
});

describe("calls the test ends", () => {
  it("answers every later request for an ended call with the spec's 404; other calls are untouched", async () => {
    graph.endCall(callId);
    const url = `${v1}/communications/calls/${callId}/cancelMediaProcessing`;
    const response = await post(url, {});
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({
      error: specExampleObject("notFoundError").error as object,
    });
    expect(graph.operations).toEqual([]);
    expect((await post(url.replace(callId, "another-call"), {})).status).toBe(200);
    expect(graph.calls.map((c) => [c.callId, c.ended])).toEqual([
      [callId, true],
      ["another-call", false],
    ]);
  });

  it("reset() forgets the calls: an ended call is served again", async () => {
    graph.endCall(callId);
    graph.reset();
    expect(graph.calls).toEqual([]);
    expect((await post(`${v1}/communications/calls/${callId}/cancelMediaProcessing`, {})).status).toBe(200);
  });

  it("refuses a blank call id and a bad mediaDurationMs", async () => {
    expect(() => graph.endCall(" ")).toThrow(/callId must be a non-empty string/);
    const { createGraphHandlers } = await import("../../src/mocks/index.ts");
    expect(() => createGraphHandlers({ mediaDurationMs: -1 })).toThrow(
      /options.mediaDurationMs must be a number/,
    );
    expect(() => createGraphHandlers({ mediaDurationMS: 5 } as never)).toThrow(
      /did you mean "mediaDurationMs"/,
    );
  });
});
