/**
 * Slow senders (issue 12 row 2): 300 connections stalled on 127.0.0.1 (half with unfinished
 * headers, half with a body that stops) while normal notifications keep getting 202, and every
 * stalled connection answered 408 and closed by the deadlines of createNotificationServer (Node's
 * own defaults hold them 60 s and 300 s). Bounded: 300 sockets, about 10 s at most.
 */
import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../../../src/core/errors.ts";
import { createNotificationHandler } from "../../../src/notifications/receive/handler.ts";
import { createNotificationServer } from "../../../src/notifications/receive/node-adapter.ts";
import {
  createTestSigningKeys,
  type RunningKeyServer,
  serveTestSigningKeys,
} from "../../../src/testing/index.ts";
import { type LocalServer, listenLocal } from "../../support/listen-local.ts";
import { operationBatch } from "../../support/notification-fixtures.ts";
import { appId } from "../../support/seed-ids.ts";

const stalledCount = 300;
let keys: RunningKeyServer;
let local: LocalServer;
let token: string;
const sockets: Socket[] = [];

beforeAll(async () => {
  const signing = await createTestSigningKeys({ appId });
  keys = await serveTestSigningKeys(signing);
  token = await signing.mint();
  const handle = createNotificationHandler({
    appId,
    auth: { openIdConfigurationUrl: keys.openIdConfigurationUrl },
    bodyTimeoutMs: 1_500,
    onNotification: () => {},
  });
  local = await listenLocal(
    createNotificationServer(handle, { headersTimeoutMs: 1_500, requestTimeoutMs: 10_000 }),
  );
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await local.close();
  await keys.close();
});

interface Stalled {
  socket: Socket;
  received: string;
  closed: Promise<void>;
}

function stall(partial: string): Promise<Stalled> {
  return new Promise((resolve, reject) => {
    const socket = connect(local.port, "127.0.0.1");
    sockets.push(socket);
    const stalled: Stalled = {
      socket,
      received: "",
      closed: new Promise((done) => socket.once("close", () => done())),
    };
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      stalled.received += chunk;
    });
    socket.on("error", () => undefined); // a reset after the 408 is fine
    socket.once("connect", () => socket.write(partial, () => resolve(stalled)));
    socket.once("error", reject);
  });
}

describe("createNotificationServer with slow senders", () => {
  it(`answers normal notifications while ${stalledCount} connections stall, then drops those with 408`, async () => {
    const headersOnly = "POST /api/calls HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n";
    const bodyStarted = `POST /api/calls HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"value":[`;
    const stalled = await Promise.all(
      Array.from({ length: stalledCount }, (_, i) => stall(i % 2 === 0 ? headersOnly : bodyStarted)),
    );
    const started = Date.now();

    const statuses = await Promise.all(
      Array.from({ length: 20 }, () =>
        fetch(`${local.origin}/api/calls`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify(operationBatch("completed")),
          signal: AbortSignal.timeout(5_000),
        }).then((response) => response.status),
      ),
    );
    expect(statuses).toEqual(Array(20).fill(202));
    const stillOpen = stalled.filter((s) => !s.socket.destroyed && s.received === "").length;
    // Most stalled connections were still held while the notifications were answered.
    expect(stillOpen).toBeGreaterThan(stalledCount / 2);

    await Promise.all(stalled.map((s) => s.closed));
    expect(Date.now() - started).toBeLessThan(8_000);
    for (const s of stalled) expect(s.received).toMatch(/^HTTP\/1\.1 408 /);
    const bodyAnswers = stalled.filter((_, i) => i % 2 === 1).map((s) => s.received);
    expect(bodyAnswers.every((text) => /"code":"RequestTimeout"/.test(text))).toBe(true);
  }, 20_000);

  it("refuses a misspelt option, naming the nearest one", () => {
    const handle = createNotificationHandler({
      appId,
      auth: false,
      onNotification: () => {},
      logger: { warn() {}, error() {} },
    });
    const attempt = () => createNotificationServer(handle, { headerTimeoutMs: 1 } as never);
    expect(attempt).toThrow(InvalidArgumentError);
    expect(attempt).toThrow('options.headerTimeoutMs is not allowed (did you mean "headersTimeoutMs"?)');
    expect(() =>
      createNotificationServer(handle, { headersTimeoutMs: 5_000, requestTimeoutMs: 1_000 }),
    ).toThrow(/headersTimeoutMs must not be longer than options\.requestTimeoutMs/);
    expect(() => createNotificationServer(handle, { maxConnections: 0 })).toThrow(
      /maxConnections must be an integer >= 1/,
    );
  });
});
