/**
 * End to end out of process: the typed client calls the real Prism mock, Prism fires the
 * commsNotifications callback at the bot's notification handler, and the tracker resolves: with
 * `completed` for the 202 Prism answered, or `failed` from a mock started with
 * `notificationStatus: "failed"`. A 200 with a completed operation is final and is not followed by
 * a notification. Prism sends callbacks without a token, so this bot runs with
 * `auth: false` (the mock-only setting).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createCallsClient } from "../../../src/client/index.ts";
import { type RunningPrism, startPrism } from "../../../src/mocks/prism/prism-launch.ts";
import {
  createNotificationHandler,
  createOperationTracker,
  OperationFailedError,
  type OperationTracker,
  type ParsedNotification,
} from "../../../src/notifications/index.ts";
import { type RunningServer, serveHandler } from "../../support/http-server.ts";
import { appId, callId } from "../../support/seed-ids.ts";

const warnings: string[] = [];
let prism: RunningPrism;
let bot: RunningServer;
// Prism answers every request with the spec's example ids, so each test gets a tracker of its own.
let tracker: OperationTracker;

const batches: ParsedNotification[] = [];

beforeEach(() => {
  tracker = createOperationTracker({ timeoutMs: 15_000 });
  batches.length = 0;
});

beforeAll(async () => {
  const handle = createNotificationHandler({
    appId,
    auth: false,
    onNotification: (notification) => {
      batches.push(notification);
      return tracker.handle(notification);
    },
    logger: { warn: (m: string) => warnings.push(m), error: (m: string) => warnings.push(m) },
  });
  bot = await serveHandler(handle);
  prism = await startPrism({ host: "127.0.0.1", port: 0, callbackUrl: bot.url });
});

afterAll(async () => {
  await prism?.stop();
  await bot?.close();
});

/** The operation's ids only, so the wait follows the notification rather than the (final) answer. */
function ids(op: { callId: string; operationId: string }) {
  return { callId: op.callId, operationId: op.operationId };
}

describe("client → Prism → callback → notification handler → tracker", () => {
  it("the current path: 200 with a completed operation is final (no notification); the /applications 202 gets its notification", async () => {
    const client = createCallsClient({
      baseUrl: prism.url,
      token: "app-token",
      path: "/communications/calls/{callId}/cancelMediaProcessing",
    });
    const final = await client.cancelMediaProcessing(callId, { clientContext: "ctx" });
    expect(final).toMatchObject({ httpStatus: 200, status: "completed", callId });
    const accepted = createCallsClient({
      baseUrl: prism.url,
      token: "app-token",
      path: "/applications/{appId}/calls/{callId}/cancelMediaProcessing",
      appId,
    });
    const op = await accepted.cancelMediaProcessing(callId, { all: true });
    expect(op).toMatchObject({
      httpStatus: 202,
      callId,
      operationId: "0fe0623f-d628-42ed-b4bd-8ac290072cc5",
    });
    // The final 200 settles wait() from the answer itself; the 202 from its notification.
    await expect(tracker.wait(final)).resolves.toMatchObject({ kind: "answer", status: "completed" });
    await expect(tracker.wait(op)).resolves.toMatchObject({
      kind: "operation",
      status: "completed",
      operationId: op.operationId,
    });
    // The 200 was answered first: had Prism notified it, its /communications notification would be here first.
    expect(batches.map((n) => n.resourceUrl.split("/calls/")[0])).toEqual(["/app"]);
    expect(warnings).toEqual([
      "notification handler: auth is off (auth: false); requests are not authenticated",
    ]);
  });

  it("a mock started with notificationStatus failed reports the failure, with resultInfo", async () => {
    const failing = await startPrism({
      host: "127.0.0.1",
      port: 0,
      callbackUrl: bot.url,
      notificationStatus: "failed",
    });
    try {
      const client = createCallsClient({
        baseUrl: failing.url,
        token: "app-token",
        path: "/applications/{appId}/calls/{callId}/cancelMediaProcessing",
        appId,
      });
      const op = await client.cancelMediaProcessing(callId, {});
      const error = await tracker.wait(ids(op)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OperationFailedError);
      expect((error as OperationFailedError).resultInfo).toMatchObject({ code: 400, subcode: 8508 });
    } finally {
      await failing.stop();
    }
  });
});
