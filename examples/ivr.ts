/**
 * An IVR turn, as a calling bot runs it: play a prompt, record the caller's answer, and when no answer
 * comes in time, cancel the call's media processing and report which operations were cancelled.
 *
 * How Graph runs it (spec/openapi.yaml, "Which answers are final" and "What a cancel cancels"):
 * playPrompt and recordResponse answer `200` with a `running` operation, queued in order, whose end
 * comes later by notification; cancelMediaProcessing answers `200` with a `completed` operation, a
 * final answer with no notification of its own (`tracker.wait()` settles from the answer at once);
 * what follows are the notifications of the prompt and the recording it cancelled (a recording:
 * `failed`, 400 / 8508, `operationCanceled`), which the tracker marks `cancelled: true`.
 */
import type { CallsClient, OperationRef } from "graph-comms-kit";
import {
  type OperationOutcome,
  OperationTimeoutError,
  type OperationTracker,
} from "graph-comms-kit/notifications";

/** What became of one operation of the turn. */
export interface OperationReport {
  action: "playPrompt" | "recordResponse" | "cancelMediaProcessing";
  operationId: string;
  /** `completed`, `failed`, or `cancelled` (ended because the bot cancelled it). */
  outcome: "completed" | "failed" | "cancelled";
}

/** Settles with how an operation ended; `cancelled` wins over the status (a cancelled recording says `failed`). */
async function fate(tracker: OperationTracker, ref: OperationRef, timeoutMs: number) {
  const outcome: OperationOutcome | { cancelled: boolean; status: "failed" } = await tracker
    .wait(ref, { timeoutMs })
    .catch((error: unknown) => {
      // OperationFailedError carries `cancelled` too; a timeout is not an outcome.
      if (error instanceof OperationTimeoutError) throw error;
      return error as { cancelled: boolean; status: "failed" };
    });
  return outcome.cancelled ? "cancelled" : outcome.status === "completed" ? "completed" : "failed";
}

/**
 * Plays `promptUri`, records the answer, and cancels when no answer ended within `answerTimeoutMs`.
 * Resolves with what became of each operation.
 */
export async function askAndRecord(
  client: CallsClient<"/communications/calls/{callId}/cancelMediaProcessing">,
  tracker: OperationTracker,
  callId: string,
  options: { promptUri: string; answerTimeoutMs: number; settleTimeoutMs?: number },
): Promise<OperationReport[]> {
  const prompts = [{ "@odata.type": "#microsoft.graph.mediaPrompt", mediaInfo: { uri: options.promptUri } }];
  const prompt = await client.playPrompt(callId, { prompts, clientContext: "ivr-prompt" });
  const recording = await client.recordResponse(callId, {
    maxRecordDurationInSeconds: 10,
    stopTones: ["#"],
    clientContext: "ivr-record",
  });
  const settle = options.settleTimeoutMs ?? 10_000;
  try {
    const outcome = await fate(tracker, recording, options.answerTimeoutMs);
    return [
      { action: "playPrompt", operationId: prompt.operationId, outcome: await fate(tracker, prompt, settle) },
      { action: "recordResponse", operationId: recording.operationId, outcome },
    ];
  } catch (error) {
    if (!(error instanceof OperationTimeoutError)) throw error;
  }
  // No answer in time: cancel what is queued and running, then learn each operation's fate.
  const cancel = await client.cancelMediaProcessing(callId, { clientContext: "ivr-timeout" });
  return [
    {
      action: "cancelMediaProcessing",
      operationId: cancel.operationId,
      outcome: await fate(tracker, cancel, settle),
    },
    { action: "playPrompt", operationId: prompt.operationId, outcome: await fate(tracker, prompt, settle) },
    {
      action: "recordResponse",
      operationId: recording.operationId,
      outcome: await fate(tracker, recording, settle),
    },
  ];
}
