import type { ActionName } from "../core/actions.ts";
import type { OperationStatus } from "../core/operation-status.ts";
import type { IssuedOperation } from "./issued-operation.ts";

/** The media (IVR) actions a call queues: `playPrompt` and `recordResponse` (2018: `record`). */
export type MediaAction = Extract<ActionName, "playPrompt" | "recordResponse">;

/** Where a media operation is: waiting its turn, playing or recording, or done (the spec's `operationStatus`). */
export type MediaStatus = OperationStatus;

/** One playPrompt or recordResponse operation of a simulated call. */
export interface SimulatedMediaOperation {
  /** The operation as the handlers issued it (ids, Location, clientContext, contract). */
  readonly operation: IssuedOperation;
  /** Which action created it. */
  readonly action: MediaAction;
  /** Its status now. */
  readonly status: MediaStatus;
  /** How it ended: ran to its end, or cancelled by cancelMediaProcessing. */
  readonly ending?: "completed" | "cancelled";
}

/** A call as the simulator knows it: its media queue and its history. */
export interface SimulatedCall {
  /** The call id, normalised. */
  readonly callId: string;
  /** Whether the test ended it (`graph.endCall(id)`): every later request for it gets `404`. */
  readonly ended: boolean;
  /** Its queue in order: the running operation first, then those not started. */
  readonly queue: readonly SimulatedMediaOperation[];
  /** Its media operations that ended, oldest first. */
  readonly done: readonly SimulatedMediaOperation[];
}

interface MutableMedia {
  operation: IssuedOperation;
  action: MediaAction;
  status: MediaStatus;
  ending?: "completed" | "cancelled";
  timer?: ReturnType<typeof setTimeout>;
}

interface MutableCall {
  callId: string;
  ended: boolean;
  queue: MutableMedia[];
  done: MutableMedia[];
}

/** What the queue reports when an operation ends, for the handlers to turn into a notification. */
export type MediaEnding = (media: SimulatedMediaOperation, how: "completed" | "cancelled") => void;

function snapshot(media: MutableMedia): SimulatedMediaOperation {
  return {
    operation: media.operation,
    action: media.action,
    status: media.status,
    ...(media.ending === undefined ? {} : { ending: media.ending }),
  };
}

/**
 * The calls' media queues as Graph keeps them: actions "are by default queued to process in order", and a cancel
 * "cancels any operation that is in-process as well as operations that are queued" (call-cancelmediaprocessing.md).
 */
export class MediaQueues {
  readonly #calls = new Map<string, MutableCall>();

  constructor(
    private readonly durationMs: number,
    private readonly onEnd: MediaEnding,
  ) {}

  #call(callId: string): MutableCall {
    let call = this.#calls.get(callId);
    if (!call) {
      call = { callId, ended: false, queue: [], done: [] };
      this.#calls.set(callId, call);
    }
    return call;
  }

  /** Whether the test ended this call. */
  isEnded(callId: string): boolean {
    return this.#calls.get(callId)?.ended === true;
  }

  /** Queues a new operation; it runs at once when the queue was empty. Returns its status. */
  add(operation: IssuedOperation, action: MediaAction): MediaStatus {
    const call = this.#call(operation.callId);
    const media: MutableMedia = { operation, action, status: "notStarted" };
    call.queue.push(media);
    if (call.queue.length === 1) this.#start(call);
    return media.status;
  }

  /** Cancels the running operation and, unless `runningOnly` (the 2018 `all: false`), every queued one. */
  cancel(callId: string, runningOnly: boolean): SimulatedMediaOperation[] {
    const call = this.#call(callId);
    const cancelled = runningOnly ? call.queue.splice(0, 1) : call.queue.splice(0);
    for (const media of cancelled) this.#end(call, media, "cancelled");
    if (runningOnly) this.#start(call);
    return cancelled.map(snapshot);
  }

  /** Ends the call's running operation now, as if it ran to its end; `false` when nothing runs. */
  finish(callId: string): boolean {
    const call = this.#calls.get(callId);
    const running = call?.queue[0];
    if (!call || !running) return false;
    call.queue.shift();
    this.#end(call, running, "completed");
    this.#start(call);
    return true;
  }

  /** Ends a call: its queue is dropped without notifications, and later requests for it get 404. */
  endCall(callId: string): void {
    const call = this.#call(callId);
    for (const media of call.queue) clearTimeout(media.timer);
    call.queue.length = 0;
    call.ended = true;
  }

  /** Every call seen so far, in the order first seen. */
  calls(): SimulatedCall[] {
    return [...this.#calls.values()].map((call) => ({
      callId: call.callId,
      ended: call.ended,
      queue: call.queue.map(snapshot),
      done: call.done.map(snapshot),
    }));
  }

  /** Forgets every call and stops every timer. */
  reset(): void {
    for (const call of this.#calls.values()) for (const media of call.queue) clearTimeout(media.timer);
    this.#calls.clear();
  }

  #start(call: MutableCall): void {
    const head = call.queue[0];
    if (!head || head.status === "running") return;
    head.status = "running";
    if (Number.isFinite(this.durationMs)) {
      head.timer = setTimeout(() => {
        if (call.queue[0] === head) this.finish(call.callId);
      }, this.durationMs);
    }
  }

  #end(call: MutableCall, media: MutableMedia, how: "completed" | "cancelled"): void {
    clearTimeout(media.timer);
    delete media.timer;
    media.status = how === "completed" ? "completed" : "failed";
    media.ending = how;
    call.done.push(media);
    this.onEnd(snapshot(media), how);
  }
}

/** Whether a spec action is one the media queue runs (2018's `record` is recordResponse's old name). */
export function isMediaAction(action: string): action is MediaAction {
  return action === "playPrompt" || action === "recordResponse";
}
