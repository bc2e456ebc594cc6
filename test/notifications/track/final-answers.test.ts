/**
 * An action's answer that is already final settles `wait()` at once: Microsoft's `commsOperation`
 * page (v1.0 and beta, microsoft-graph-docs-contrib `api-reference/*\/resources/commsoperation.md`):
 * "If for example, an operation with status of `completed` or `failed` is returned, there won't be
 * any subsequent operation via the notification channel." Both cancelMediaProcessing pages print a
 * `200` whose operation is `"completed"` (test/fixtures/graph/responses/v1.0--call-cancelmediaprocessing@06473d2--1.json).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createCallsClient } from "../../../src/client/client.ts";
import { OperationFailedError, OperationTimeoutError } from "../../../src/notifications/errors.ts";
import { createOperationTracker } from "../../../src/notifications/track/tracker.ts";
import { callId, stubFetch } from "../../support/fetch-stub.ts";

const printed = JSON.parse(
  readFileSync(
    new URL(
      "../../fixtures/graph/responses/v1.0--call-cancelmediaprocessing@06473d2--1.json",
      import.meta.url,
    ),
    "utf8",
  ),
) as Record<string, unknown>;
const current = "/communications/calls/{callId}/cancelMediaProcessing" as const;

/** The client's OperationRef for a `200` carrying `body` (no Location: the body's id names the operation). */
async function answered(body: Record<string, unknown>) {
  const fetch = stubFetch(Response.json(body, { status: 200 }));
  const client = createCallsClient({
    token: "t",
    path: current,
    fetch,
    baseUrl: "https://graph.microsoft.com/v1.0",
  });
  return client.cancelMediaProcessing(callId, { clientContext: "d45324c1-fcb5-430a-902c-f20af696537c" });
}

// A wait that needed a notification would end in OperationTimeoutError after these 100 ms.
const generous = { timeoutMs: 100 };

describe("wait() on an action's final answer", () => {
  it("resolves at once for Microsoft's printed 200 completed, with no notification", async () => {
    const tracker = createOperationTracker();
    const ref = await answered(printed);
    const outcome = await tracker.wait(ref, generous);
    expect(outcome).toMatchObject({
      kind: "answer",
      status: "completed",
      callId,
      operationId: "0fe0623f-d628-42ed-b4bd-8ac290072cc5",
      clientContext: "d45324c1-fcb5-430a-902c-f20af696537c",
      operationType: "#microsoft.graph.cancelMediaProcessingOperation",
      operation: printed,
    });
    expect(tracker.waiting).toBe(0);
  });

  it("rejects at once for a 200 failed, carrying the answer's resultInfo", async () => {
    const tracker = createOperationTracker();
    const resultInfo = { code: "500", subcode: 9999, message: "Action failed." };
    const ref = await answered({ ...printed, status: "Failed", resultInfo });
    const error = await tracker.wait(ref, generous).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OperationFailedError);
    expect(error).toMatchObject({
      callId,
      resultInfo: { code: 500, subcode: 9999, message: "Action failed." },
      notification: undefined,
      outcome: { kind: "answer", status: "failed" },
    });
    expect((error as Error).message).toContain("failed in the action's answer (code 500, subcode 9999");
  });

  it("waits for the notification when the answer is running, notStarted, null or absent, or the target is no answer", async () => {
    const tracker = createOperationTracker();
    for (const status of ["running", "notStarted", null, undefined]) {
      const ref = await answered({ ...printed, status });
      await expect(tracker.wait(ref, { timeoutMs: 1 })).rejects.toBeInstanceOf(OperationTimeoutError);
    }
    // A notification passed as the target is no answer: the store settles it, as before.
    const noAnswer = { callId, operationId: "op-2", status: "completed" };
    await expect(tracker.wait(noAnswer, { timeoutMs: 1 })).rejects.toBeInstanceOf(OperationTimeoutError);
  });

  it("reads the status of any answer-shaped target (one with httpStatus), and still checks the wait options first", async () => {
    const tracker = createOperationTracker();
    const target = { callId, operationId: "op-1", httpStatus: 200, status: "completed" };
    await expect(tracker.wait(target, generous)).resolves.toMatchObject({
      kind: "answer",
      operationId: "op-1",
    });
    await expect(tracker.wait(target, { timeout: 5 } as never)).rejects.toThrow(/timeoutMs/);
    await expect(tracker.wait(target, { signal: AbortSignal.abort("stop") })).rejects.toBe("stop");
  });
});
