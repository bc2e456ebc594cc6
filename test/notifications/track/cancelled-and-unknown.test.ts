/**
 * Cancelled is not failed, and enum members the spec does not list pass through.
 *
 * - The cancelMediaProcessing pages print the cancelled recordOperation's notification: `failed`,
 *   `resultInfo` 400 / 8508, `completionReason: operationCanceled` (the spec's `currentNotification`;
 *   test/fixtures/graph/notifications/v1.0--call-cancelmediaprocessing@06473d2--1.json). Beta's
 *   playPromptOperation lists `mediaOperationCanceled`; v1.0 `call-senddtmftones.md` prints a
 *   `completed` operation with it (test/fixtures/graph/notifications/v1.0--call-senddtmftones@1b1d83e--2.json).
 * - Graph adds enum members behind `unknownFutureValue` (microsoft/api-guidelines
 *   `graph/patterns/evolvable-enums.md`); the 2018 SDK changelog names an `Idle` status.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { specExample } from "../../../src/core/spec-document.ts";
import { OperationFailedError, OperationTimeoutError } from "../../../src/notifications/errors.ts";
import type { OperationNotification } from "../../../src/notifications/parse/notification.ts";
import { parseCommsNotifications } from "../../../src/notifications/parse/parse.ts";
import { createNotificationHandler } from "../../../src/notifications/receive/handler.ts";
import { createOperationTracker } from "../../../src/notifications/track/tracker.ts";
import { callId, operationBatch, operationId } from "../../support/notification-fixtures.ts";

function only(body: unknown): OperationNotification {
  const [n] = parseCommsNotifications(body);
  if (n?.kind !== "operation") throw new Error("expected one operation notification");
  return n;
}

const fixture = (file: string) =>
  readFileSync(new URL(`../../fixtures/graph/notifications/${file}`, import.meta.url), "utf8");

describe("cancelled is not failed", () => {
  it("a recordOperation failed 400/8508 rejects its wait with cancelled === true and the completion reason", async () => {
    const cancelledRecording = only(specExample("currentNotification"));
    expect(cancelledRecording).toMatchObject({
      status: "failed",
      cancelled: true,
      completionReason: "operationCanceled",
    });
    const tracker = createOperationTracker();
    const waiting = tracker.wait(cancelledRecording, { timeoutMs: 1_000 });
    await tracker.handle(cancelledRecording);
    const error = await waiting.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OperationFailedError);
    expect(error).toMatchObject({ cancelled: true, completionReason: "operationCanceled" });
    expect((error as Error).message).toContain("was cancelled");
  });

  it("marks every cancelled recording Microsoft prints after a cancel (the corpus's cancelMediaProcessing notifications since 2019)", () => {
    const manifest = JSON.parse(
      readFileSync(new URL("../../fixtures/graph/manifest.json", import.meta.url), "utf8"),
    ) as { file: string; kind: string; action: string; expectStatus: string | null }[];
    const printed = manifest.filter(
      (e) => e.kind === "notification" && e.action === "cancelMediaProcessing" && e.expectStatus === "failed",
    );
    expect(printed.length).toBeGreaterThanOrEqual(4);
    for (const entry of printed) {
      const n = only(fixture(entry.file.replace("notifications/", "")));
      expect([entry.file, n.operationType, n.cancelled]).toEqual([
        entry.file,
        "#microsoft.graph.recordOperation",
        true,
      ]);
    }
  });

  it("reads 400/8508 alone, and a cancel completion reason alone, as cancelled", () => {
    const byResult = only(operationBatch("failed"));
    expect(byResult).toMatchObject({ resultInfo: { code: 400, subcode: 8508 }, cancelled: true });
    expect(byResult.completionReason).toBeUndefined();
    const byReason = only(fixture("v1.0--call-senddtmftones@1b1d83e--2.json"));
    expect(byReason).toMatchObject({
      status: "completed",
      completionReason: "mediaOperationCanceled",
      cancelled: true,
    });
  });

  it("a completed operation that was cancelled resolves with cancelled === true", async () => {
    const tracker = createOperationTracker();
    const n = only(operationBatch("completed", {}, { completionReason: "mediaOperationCanceled" }));
    await tracker.handle(n);
    await expect(tracker.wait({ callId, operationId })).resolves.toMatchObject({ cancelled: true });
  });

  it("other endings are not cancelled: a completed recording, a failure with another subcode", async () => {
    const recorded = only(specExample("currentRecordNotification"));
    expect(recorded).toMatchObject({ status: "completed", cancelled: false, resultInfo: { subcode: 8515 } });
    expect(only(fixture("beta-2018--call_record@afb72b6--1.json"))).toMatchObject({
      completionReason: "stopToneDetected",
      cancelled: false,
    });
    const failed = only(operationBatch("failed", {}, { resultInfo: { code: 500, subcode: 8508 } }));
    expect(failed.cancelled).toBe(false);
    const tracker = createOperationTracker();
    await tracker.handle(failed);
    await expect(tracker.wait({ callId, operationId })).rejects.toMatchObject({ cancelled: false });
  });

  it("an action's final answer of 400/8508 is cancelled too", async () => {
    const tracker = createOperationTracker();
    const answer = {
      callId,
      operationId,
      httpStatus: 200,
      operation: { status: "failed", resultInfo: { code: 400, subcode: 8508 } },
    };
    await expect(tracker.wait(answer)).rejects.toMatchObject({
      cancelled: true,
      outcome: { kind: "answer" },
    });
  });
});

describe("members the spec does not list pass through", () => {
  it("a batch holding an unknown status is answered 202 and delivered with the raw value, beside its neighbours", async () => {
    const received: OperationNotification[] = [];
    const handle = createNotificationHandler({
      appId: "app",
      auth: false,
      logger: { warn: () => {}, error: () => {} },
      onNotification: (n) => {
        if (n.kind === "operation") received.push(n);
      },
    });
    const idle = operationBatch("running", {}, { status: "Idle", completionReason: "someFutureReason" });
    const done = operationBatch("completed", { operationId: "11111111-2222-4333-8444-555555555555" });
    const body = JSON.stringify({ value: [...idle.value, { ...done.value[0], changeType: "archived" }] });
    const response = await handle(
      new Request("http://127.0.0.1/api/calls", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      }),
    );
    expect(response.status).toBe(202);
    expect(received.map((n) => [n.status, n.changeType, n.completionReason])).toEqual([
      ["Idle", "updated", "someFutureReason"],
      ["completed", "archived", undefined],
    ]);
  });

  it("an unknown status does not settle a wait, and the known casings still normalise", async () => {
    const tracker = createOperationTracker();
    const waiting = tracker.wait({ callId, operationId }, { timeoutMs: 50 });
    expect(await tracker.handle(only(operationBatch("completed", {}, { status: "COMPLETED" })))).toBe(
      "ignored",
    );
    await expect(waiting).rejects.toBeInstanceOf(OperationTimeoutError);
    expect(only(operationBatch("completed", {}, { status: "Completed" })).status).toBe("completed");
    expect(
      only({ value: [{ ...operationBatch("completed").value[0], changeType: "Deleted" }] }).changeType,
    ).toBe("deleted");
    const answer = { callId, operationId, httpStatus: 200, status: "idle" };
    await expect(tracker.wait(answer, { timeoutMs: 1 })).rejects.toBeInstanceOf(OperationTimeoutError);
  });
});
