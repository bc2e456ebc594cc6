/**
 * End to end out of process: the typed client calls the real Prism mock, Prism fires the
 * commsNotifications callback at the bot's notification handler, and the tracker resolves: with
 * `completed` for the success Prism answered, or `failed` from a mock started with
 * `notificationStatus: "failed"`. Prism sends callbacks without a token, so this bot runs with
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
} from "../../../src/notifications/index.ts";
import { type RunningServer, serveHandler } from "../../support/http-server.ts";
import { appId, callId } from "../../support/seed-ids.ts";

const warnings: string[] = [];
let prism: RunningPrism;
let bot: RunningServer;
// Prism answers every request with the spec's example ids, so each test gets a tracker of its own.
let tracker: OperationTracker;

beforeEach(() => {
  tracker = createOperationTracker({ timeoutMs: 15_000 });
});

beforeAll(async () => {
  const handle = createNotificationHandler({
    appId,
    auth: false,
    onNotification: (notification) => tracker.handle(notification),
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
  it("the /app path: 200 (present-day beta) + Location, then the notification completes the operation", async () => {
    const client = createCallsClient({ baseUrl: prism.url, token: "app-token" });
    const op = await client.cancelMediaProcessing(callId, {
      all: true,
      clientContext: "clientContext-value",
    });
    expect(op).toMatchObject({
      httpStatus: 200,
      callId,
      operationId: "0fe0623f-d628-42ed-b4bd-8ac290072cc5",
    });
    // The answer is final (the spec's example says completed): wait(op) settles from it; the
    // notification Prism sends anyway is waited for by the ids.
    await expect(tracker.wait(op)).resolves.toMatchObject({ kind: "answer", status: "completed" });
    await expect(tracker.wait(ids(op))).resolves.toMatchObject({
      kind: "operation",
      status: "completed",
      operationId: op.operationId,
    });
    expect(warnings).toEqual([
      "notification handler: auth is off (auth: false); requests are not authenticated",
    ]);
  });

  it("the current path: 200 + a completed operation body, then the notification completes it too", async () => {
    const client = createCallsClient({
      baseUrl: prism.url,
      token: "app-token",
      path: "/communications/calls/{callId}/cancelMediaProcessing",
    });
    const op = await client.cancelMediaProcessing(callId, {
      clientContext: "d45324c1-fcb5-430a-902c-f20af696537c",
    });
    expect(op).toMatchObject({
      httpStatus: 200,
      status: "completed",
      operationId: "0fe0623f-d628-42ed-b4bd-8ac290072cc5",
    });
    await expect(tracker.wait(ids(op))).resolves.toMatchObject({
      kind: "operation",
      status: "completed",
      operationId: op.operationId,
      clientContext: "d45324c1-fcb5-430a-902c-f20af696537c",
    });
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
        path: "/communications/calls/{callId}/cancelMediaProcessing",
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
