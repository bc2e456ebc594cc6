/**
 * Load: 5,000 notifications, one per POST, sent concurrently over real HTTP (node:http on
 * 127.0.0.1, signed tokens verified) -> every one acknowledged with 202 and delivered to the
 * tracker exactly once; nothing lost. The client side is bounded by an http.Agent (64 sockets) so
 * it stays reliable on a small machine.
 */
import { Agent, request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OperationFailedError } from "../../../src/notifications/errors.ts";
import type { OperationNotification } from "../../../src/notifications/parse/notification.ts";
import { createNotificationHandler } from "../../../src/notifications/receive/handler.ts";
import { createOperationTracker, type HandleResult } from "../../../src/notifications/track/tracker.ts";
import {
  createTestSigningKeys,
  type RunningKeyServer,
  serveTestSigningKeys,
} from "../../../src/testing/index.ts";
import { type RunningServer, serveHandler } from "../../support/http-server.ts";
import { operationBatch } from "../../support/notification-fixtures.ts";
import { appId, callId } from "../../support/seed-ids.ts";

const total = 5_000;
const agent = new Agent({ keepAlive: true, maxSockets: 64 });
const tracker = createOperationTracker({ timeoutMs: 60_000 });
const results = new Map<string, HandleResult[]>();
let keys: RunningKeyServer;
let http: RunningServer;
let token: string;

beforeAll(async () => {
  const signing = await createTestSigningKeys({ appId });
  keys = await serveTestSigningKeys(signing);
  token = await signing.mint();
  const handle = createNotificationHandler({
    appId,
    auth: { openIdConfigurationUrl: keys.openIdConfigurationUrl },
    onNotification: async (n) => {
      const result = await tracker.handle(n);
      if (n.kind === "operation") results.set(n.operationId, [...(results.get(n.operationId) ?? []), result]);
    },
  });
  http = await serveHandler(handle);
});

afterAll(async () => {
  agent.destroy();
  await http.close();
  await keys.close();
});

/** Operation ids in the notification's uppercase 32-hex spelling; wait() uses the dashed one. */
function operationId(i: number): string {
  return `00000000-0000-4000-8000-${i.toString(16).padStart(12, "0")}`;
}

function post(body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      http.url,
      {
        method: "POST",
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
        },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

function bodyFor(i: number): string {
  const status = i % 10 === 0 ? "failed" : "completed";
  const upper = {
    callId: callId.toUpperCase().replaceAll("-", ""),
    operationId: operationId(i).toUpperCase().replaceAll("-", ""),
  };
  return JSON.stringify(operationBatch(status, upper, { id: operationId(i) }));
}

async function outcome(i: number): Promise<string> {
  return tracker.wait({ callId, operationId: operationId(i) }).then(
    (n: OperationNotification) => `${n.operationId} ${n.status}`,
    (e: unknown) =>
      e instanceof OperationFailedError ? `${e.operationId} failed` : `${operationId(i)} ${String(e)}`,
  );
}

describe("load", () => {
  it(`acknowledges ${total} concurrent notifications and delivers each to the tracker exactly once`, async () => {
    // Half the callers wait before their notification arrives, half after (early notifications).
    const waitingFirst = Array.from({ length: total / 2 }, (_, i) => outcome(i * 2));
    const statuses = await Promise.all(Array.from({ length: total }, (_, i) => post(bodyFor(i))));
    const notifiedFirst = Array.from({ length: total / 2 }, (_, i) => outcome(i * 2 + 1));
    const outcomes = await Promise.all([...waitingFirst, ...notifiedFirst]);

    expect(statuses.filter((s) => s === 202)).toHaveLength(total);
    expect(results.size).toBe(total);
    const counts = { delivered: 0, stored: 0, other: 0 };
    for (const list of results.values()) {
      expect(list).toHaveLength(1);
      if (list[0] === "delivered") counts.delivered++;
      else if (list[0] === "stored") counts.stored++;
      else counts.other++;
    }
    expect(counts).toEqual({ delivered: total / 2, stored: total / 2, other: 0 });
    const expected = [
      ...Array.from({ length: total / 2 }, (_, i) => i * 2),
      ...Array.from({ length: total / 2 }, (_, i) => i * 2 + 1),
    ].map((i) => `${operationId(i)} ${i % 10 === 0 ? "failed" : "completed"}`);
    expect(outcomes).toEqual(expected);
    expect(tracker.waiting).toBe(0);

    // Graph retrying a few of them: acknowledged again, reported as duplicates, delivered no more.
    const again = await Promise.all([0, 1, 2, 3].map((i) => post(bodyFor(i))));
    expect(again).toEqual([202, 202, 202, 202]);
    for (const i of [0, 1, 2, 3])
      expect(results.get(operationId(i))).toEqual([i % 2 === 0 ? "delivered" : "stored", "duplicate"]);
  }, 60_000);
});
