/**
 * The MSW mock as a simulator of each call's media queue: what Graph answers and which
 * notifications follow. Sources: call-cancelmediaprocessing.md (v1.0 and beta: "cancels any
 * operation that is in-process as well as operations that are queued"; 200 with a completed
 * operation), commsoperation.md ("If for example, an operation with status of completed or failed
 * is returned, there won't be any subsequent operation via the notification channel"), and the 2018
 * beta page (202, then the cancel operation's own notification; `all` "whether to stop all
 * operations or current").
 */
import { describe, expect, it, vi } from "vitest";
import { parseOperationPath } from "../../src/core/operation-path.ts";
import { specExampleObject } from "../../src/core/spec-document.ts";
import { describeErrors, specValidator } from "../../src/core/spec-validator.ts";
import type { CommsNotifications, IssuedOperation } from "../../src/mocks/index.ts";
import { MediaQueues } from "../../src/mocks/media-queue.ts";
import { post, useGraphMock } from "../support/graph-server.ts";
import { callId } from "../support/seed-ids.ts";

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

const validate = specValidator("#/components/schemas/commsNotifications");

interface Seen {
  operationId: string | undefined;
  type: string | undefined;
  status: string | undefined;
  completionReason: string | undefined;
  resultInfo: unknown;
  recordingLocation: unknown;
}

/** Each received notification: whose operation it is and what it says; each batch valid by the spec. */
function seen(): Seen[] {
  return received.flatMap((batch) => {
    expect(validate(batch), describeErrors(validate.errors)).toBe(true);
    return batch.value.map((n) => {
      const data = n.resourceData as Record<string, unknown>;
      return {
        operationId: parseOperationPath(String(n.resourceUrl ?? n.resource))?.operationId,
        type: data["@odata.type"] as string | undefined,
        status: data.status as string | undefined,
        completionReason: data.completionReason as string | undefined,
        resultInfo: data.resultInfo,
        recordingLocation: data.recordingLocation ?? data.recordResourceLocation,
      };
    });
  });
}

async function act(
  url: string,
  example: string,
  extra: Record<string, unknown> = {},
  headers?: Record<string, string>,
) {
  const response = await post(url, { ...specExampleObject(example), ...extra }, headers);
  const text = await response.text();
  const location = response.headers.get("location") ?? "";
  return {
    status: response.status,
    body: text === "" ? undefined : (JSON.parse(text) as { status?: string; id?: string }),
    operationId: parseOperationPath(location)?.operationId,
  };
}

// The docs' "Operation canceled for recordResponse" notification, as the spec holds it (400 / 8508).
const cancelledExample = specExampleObject("currentNotification") as unknown as CommsNotifications;
const cancelled = (cancelledExample.value[0]?.resourceData as { resultInfo?: unknown } | undefined)
  ?.resultInfo;
const calls = `${v1}/communications/calls/${callId}`;
/** The spec's record examples barge in (`bargeInAllowed: true`); these tests queue behind the prompt. */
const queued = { bargeInAllowed: false };

describe("a call's media queue (v1.0)", () => {
  it("plays a prompt, queues a recording, cancels: no notification for the cancel, one per cancelled operation", async () => {
    received.length = 0;
    const prompt = await act(`${calls}/playPrompt`, "currentPlayPromptRequest");
    const recording = await act(`${calls}/recordResponse`, "currentRecordResponseRequest", queued);
    // call-playprompt.md / call-record.md: 200 with the operation and a Location; queued in order.
    expect(prompt).toMatchObject({ status: 200, body: { status: "running", id: prompt.operationId } });
    expect(recording).toMatchObject({
      status: 200,
      body: { status: "notStarted", id: recording.operationId },
    });
    expect(graph.calls[0]?.queue.map((m) => [m.action, m.status])).toEqual([
      ["playPrompt", "running"],
      ["recordResponse", "notStarted"],
    ]);

    const cancel = await act(`${calls}/cancelMediaProcessing`, "currentRequest");
    expect(cancel).toMatchObject({ status: 200, body: { status: "completed" } });
    await graph.settled();
    expect(seen()).toEqual([
      {
        operationId: prompt.operationId,
        type: "#microsoft.graph.playPromptOperation",
        status: "failed",
        completionReason: "mediaOperationCanceled",
        resultInfo: cancelled,
        recordingLocation: undefined,
      },
      {
        operationId: recording.operationId,
        type: "#microsoft.graph.recordOperation",
        status: "failed",
        completionReason: "operationCanceled",
        resultInfo: cancelled,
        recordingLocation: "",
      },
    ]);
    expect(graph.notifications.map((n) => n.reason)).toEqual(["cancelled", "cancelled"]);
    expect(graph.calls[0]).toMatchObject({
      queue: [],
      done: [{ ending: "cancelled" }, { ending: "cancelled" }],
    });
  });

  it("a prompt runs to its end: completed as the docs print it; then the queued recording runs and completes with a recordingLocation", async () => {
    received.length = 0;
    const prompt = await act(`${calls}/playPrompt`, "currentPlayPromptRequest");
    const recording = await act(`${calls}/recordResponse`, "currentRecordResponseRequest", queued);
    expect(graph.finishMedia(callId)).toBe(true);
    await graph.settled();
    const example = specExampleObject("currentPlayPromptNotification") as unknown as CommsNotifications;
    const printed = example.value[0]?.resourceData as { resultInfo?: unknown };
    expect(seen()).toEqual([
      expect.objectContaining({
        operationId: prompt.operationId,
        status: "completed",
        resultInfo: printed.resultInfo,
      }),
    ]);
    expect(graph.calls[0]?.queue.map((m) => m.status)).toEqual(["running"]);
    expect(graph.finishMedia(callId)).toBe(true);
    await graph.settled();
    const [, done] = seen();
    expect(done).toMatchObject({
      operationId: recording.operationId,
      type: "#microsoft.graph.recordOperation",
      status: "completed",
      resultInfo: { code: 200, subcode: 8515 },
      recordingLocation: expect.stringMatching(/^https:\/\//),
    });
    expect(graph.finishMedia(callId)).toBe(false);
  });

  it("runs by itself for mediaDurationMs, then starts the next", async () => {
    const ended: string[] = [];
    const queues = new MediaQueues(0, (media, how) => ended.push(`${media.operation.operationId} ${how}`));
    const issued = (operationId: string) => ({
      ...(graph.operations[0] as IssuedOperation),
      operationId,
      callId: "c",
    });
    await act(`${calls}/playPrompt`, "currentPlayPromptRequest");
    expect(queues.add(issued("a"), "playPrompt")).toBe("running");
    expect(queues.add(issued("b"), "recordResponse")).toBe("notStarted");
    await vi.waitFor(() => expect(ended).toEqual(["a completed", "b completed"]));
    expect(queues.calls()[0]?.done.map((m) => m.status)).toEqual(["completed", "completed"]);
    queues.reset();
  });

  // call-record.md: bargeInAllowed "will barge into other existing queued-up/currently-processing record/playprompt requests".
  it("a recordResponse with bargeInAllowed cancels what runs and waits, and runs at once", async () => {
    received.length = 0;
    const prompt = await act(`${calls}/playPrompt`, "currentPlayPromptRequest");
    const recording = await act(`${calls}/recordResponse`, "currentRecordResponseRequest", {
      bargeInAllowed: true,
    });
    expect(recording).toMatchObject({ status: 200, body: { status: "running" } });
    await graph.settled();
    expect(seen().map((n) => [n.operationId, n.status, n.completionReason])).toEqual([
      [prompt.operationId, "failed", "mediaOperationCanceled"],
    ]);
    const plain = await act(`${calls}/recordResponse`, "currentRecordResponseRequest", {
      bargeInAllowed: false,
    });
    expect(plain.body?.status).toBe("notStarted");
  });

  it("a cancel leaves other calls' operations running", async () => {
    received.length = 0;
    await act(`${calls}/playPrompt`, "currentPlayPromptRequest");
    const other = await act(`${v1}/communications/calls/other-call/playPrompt`, "currentPlayPromptRequest");
    await act(`${calls}/cancelMediaProcessing`, "currentRequest");
    await graph.settled();
    expect(seen().map((n) => n.operationId)).not.toContain(other.operationId);
    expect(graph.calls.find((c) => c.callId === "other-call")?.queue).toMatchObject([
      { status: "running", operation: { operationId: other.operationId } },
    ]);
  });
});

describe("a call's media queue (2018 beta)", () => {
  const app = `${beta}/applications/app-1/calls/${callId}`;

  it("all: false cancels only the running operation (202, its notification, the cancel's own); the queued one then runs", async () => {
    received.length = 0;
    const prompt = await act(`${app}/playPrompt`, "beta2018PlayPromptRequest");
    const recording = await act(`${app}/record`, "beta2018RecordRequest", queued);
    expect([prompt.status, recording.status]).toEqual([202, 202]);
    const cancel = await act(`${app}/cancelMediaProcessing`, "beta2018Request", { all: false });
    expect(cancel.status).toBe(202);
    await graph.settled();
    expect(seen().map((n) => [n.operationId, n.status, n.completionReason])).toEqual([
      [prompt.operationId, "failed", "mediaOperationCanceled"],
      [cancel.operationId, "completed", undefined],
    ]);
    expect(graph.calls[0]?.queue).toMatchObject([
      { status: "running", operation: { operationId: recording.operationId } },
    ]);

    const all = await act(`${app}/cancelMediaProcessing`, "beta2018Request", { all: true });
    await graph.settled();
    expect(
      seen()
        .slice(2)
        .map((n) => [n.operationId, n.status]),
    ).toEqual([
      [recording.operationId, "failed"],
      [all.operationId, "completed"],
    ]);
  });
});
