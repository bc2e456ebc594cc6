/**
 * toNodeListener behind a framework (issue 13 item 3): a body a parser already consumed gets a 500
 * at once and a log line naming the fix (never a hang); Express's raw body is used, within the limit.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import express from "express";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  createNotificationHandler,
  type NotificationHandler,
} from "../../../src/notifications/receive/handler.ts";
import { toNodeListener } from "../../../src/notifications/receive/node-adapter.ts";
import { expectGraphError } from "../../support/expect-graph-error.ts";
import { type LocalServer, listenLocal } from "../../support/listen-local.ts";
import { operationBatch } from "../../support/notification-fixtures.ts";

const logger = { warn: vi.fn(), error: vi.fn() };
const received: unknown[] = [];
let handle: NotificationHandler;
let app: LocalServer;
let consuming: LocalServer;

beforeAll(async () => {
  handle = createNotificationHandler({
    appId: "app",
    auth: false,
    maxBodyBytes: 4096,
    logger,
    onNotification: (n) => void received.push(n),
  });
  const express5 = express();
  express5.post("/raw", express.raw({ type: "application/json", limit: "1mb" }), toNodeListener(handle));
  express5.use(express.json());
  express5.post("/parsed", toNodeListener(handle));
  app = await listenLocal(createServer(express5));
  // A framework that reads the body itself before calling the listener.
  const listener = toNodeListener(handle);
  consuming = await listenLocal(
    createServer((req: IncomingMessage, res: ServerResponse) => {
      req.resume();
      req.on("end", () => listener(req, res));
    }),
  );
});

afterAll(async () => {
  await app.close();
  await consuming.close();
});

function post(url: string, body: string): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
    signal: AbortSignal.timeout(5_000), // a hang fails the test instead of stalling it
  });
}

describe("toNodeListener behind a body parser", () => {
  it("answers 500 at once after express.json() read the body, and logs the fix", async () => {
    logger.error.mockClear();
    const response = await post(`${app.origin}/parsed`, JSON.stringify(operationBatch("completed")));
    await expectGraphError(response, 500, "InternalServerError", /consumed before it reached the handler/);
    expect(logger.error).toHaveBeenCalledTimes(1);
    expect(logger.error.mock.calls[0]?.[0]).toMatch(
      /req\.body is already set.*before any body parser.*express\.raw/,
    );
  });

  it("answers 500 at once when the stream was read to its end first", async () => {
    logger.error.mockClear();
    const response = await post(`${consuming.origin}/`, JSON.stringify(operationBatch("completed")));
    await expectGraphError(response, 500, "InternalServerError");
    expect(logger.error.mock.calls[0]?.[0]).toMatch(/the request stream has already ended/);
  });

  it("takes the Buffer express.raw() left in req.body, and still applies maxBodyBytes", async () => {
    received.length = 0;
    expect((await post(`${app.origin}/raw`, JSON.stringify(operationBatch("completed")))).status).toBe(202);
    expect(received).toHaveLength(1);
    const big = JSON.stringify({ value: [], padding: " ".repeat(5000) });
    await expectGraphError(await post(`${app.origin}/raw`, big), 413, "RequestEntityTooLarge", /4096 bytes/);
  });
});

describe("toNodeListener with any Fetch-API handler", () => {
  it("converts to Request and back for a handler it did not create", async () => {
    const echo: NotificationHandler = async (request) =>
      new Response(await request.text(), { status: 201, headers: { "x-method": request.method } });
    const server = await listenLocal(createServer(toNodeListener(echo)));
    try {
      const response = await post(server.origin, "hello");
      expect(response.status).toBe(201);
      expect(response.headers.get("x-method")).toBe("POST");
      expect(await response.text()).toBe("hello");
    } finally {
      await server.close();
    }
  });

  it("refuses something that is not a function", () => {
    expect(() => toNodeListener({} as NotificationHandler)).toThrow(/handler must be a function/);
  });
});
