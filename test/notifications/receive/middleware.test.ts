/**
 * createNodeMiddleware and fastifyNotifications on the real frameworks, token checks on (keys from
 * the testing kit, served on 127.0.0.1): each accepts a signed notification at its path, with or
 * without a body parser in front, refuses a bad token, and leaves other paths to the app.
 */
import { createServer, type Server } from "node:http";
import { getRequestListener } from "@hono/node-server";
import connect from "connect";
import express from "express";
import Fastify from "fastify";
import { Hono } from "hono";
import polka from "polka";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  createNodeMiddleware,
  createNotificationHandler,
  fastifyNotifications,
  InvalidArgumentError,
  type ParsedNotification,
} from "../../../src/notifications/index.ts";
import {
  createTestSigningKeys,
  type RunningKeyServer,
  serveTestSigningKeys,
  type TestSigningKeys,
} from "../../../src/testing/index.ts";
import { type LocalServer, listenLocal } from "../../support/listen-local.ts";
import { operationBatch } from "../../support/notification-fixtures.ts";

const appId = "7e1b4346-85a6-4bdd-abe3-d11c5d420efe";
let signing: TestSigningKeys;
let keys: RunningKeyServer;
const received: ParsedNotification[] = [];
const logger = { warn: vi.fn(), error: vi.fn() };

/** The handler options every framework here uses: auth on, against the local keys. */
function handlerOptions() {
  return {
    appId,
    auth: { openIdConfigurationUrl: keys.openIdConfigurationUrl },
    logger,
    onNotification: (notification: ParsedNotification) => void received.push(notification),
  };
}

beforeAll(async () => {
  signing = await createTestSigningKeys({ appId });
  keys = await serveTestSigningKeys(signing);
});

afterAll(() => keys?.close());

async function post(url: string, body: unknown, token?: string): Promise<Response> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  headers.authorization = `Bearer ${token ?? (await signing.mint())}`;
  return fetch(url, {
    method: "POST",
    headers,
    body: typeof body === "string" ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
}

/** Posts a signed running notification for a fresh operation and says whether it was handed over. */
async function acceptsSigned(url: string): Promise<number> {
  const operationId = crypto.randomUUID();
  const answer = await post(url, operationBatch("running", { operationId }));
  const delivered = received.some((n) => n.kind === "operation" && n.operationId === operationId);
  return delivered ? answer.status : -answer.status;
}

const servers: LocalServer[] = [];
async function serve(server: Server): Promise<string> {
  const local = await listenLocal(server);
  servers.push(local);
  return local.origin;
}
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

describe("createNodeMiddleware on Express 5", () => {
  let origin: string;
  let firstOrigin: string;

  beforeAll(async () => {
    const app = express();
    app.use(express.json()); // app-wide, before the middleware
    app.post("/echo", (req, res) => void res.json(req.body));
    app.post("/api/calls", createNodeMiddleware(handlerOptions()));
    const raw = express.Router();
    raw.use(express.raw({ type: "application/json" }));
    raw.use(createNodeMiddleware({ ...handlerOptions(), path: "/raw/calls" }));
    app.use("/raw", raw);
    origin = await serve(createServer(app));
    const first = express();
    first.use(createNodeMiddleware({ ...handlerOptions(), path: "/first/calls" }));
    first.use(express.json());
    first.post("/echo", (req, res) => void res.json(req.body));
    firstOrigin = await serve(createServer(first));
  });

  it("accepts a signed notification with express.json() app-wide and the middleware on one route", async () => {
    expect(await acceptsSigned(`${origin}/api/calls`)).toBe(202);
  });

  it("accepts one behind express.raw() on a router mounted elsewhere (the path is the full path)", async () => {
    expect(await acceptsSigned(`${origin}/raw/calls`)).toBe(202);
  });

  it("accepts one mounted before any body parser, and the app's JSON routes after it still work", async () => {
    expect(await acceptsSigned(`${firstOrigin}/first/calls`)).toBe(202);
    const echo = await post(`${firstOrigin}/echo`, { hello: "world" });
    expect(await echo.json()).toEqual({ hello: "world" });
  });

  it("checks the token of a body express.json() parsed: 401 for another app's, nothing handed over", async () => {
    const operationId = crypto.randomUUID();
    const answer = await post(
      `${origin}/api/calls`,
      operationBatch("running", { operationId }),
      await signing.mint({ audience: "another-app" }),
    );
    expect(answer.status).toBe(401);
    expect(received.some((n) => n.kind === "operation" && n.operationId === operationId)).toBe(false);
  });

  it("validates a parsed body as it is: 400 naming the field", async () => {
    const answer = await post(`${origin}/api/calls`, {
      value: [{ changeType: 7, resourceUrl: "/communications/calls/57dab8b1-894c-409a-b240-bd8beae78896" }],
    });
    expect(answer.status).toBe(400);
    expect(((await answer.json()) as { error: { message: string } }).error.message).toMatch(/changeType/);
  });
});

describe("createNodeMiddleware on node:http, Connect and Polka", () => {
  it("serves its path on node:http and answers 404 elsewhere (no next)", async () => {
    const origin = await serve(createServer(createNodeMiddleware(handlerOptions())));
    expect(await acceptsSigned(`${origin}/api/calls?tenant=x`)).toBe(202);
    const other = await post(`${origin}/elsewhere`, {});
    expect(other.status).toBe(404);
    expect(((await other.json()) as { error: { code: string } }).error.code).toBe("NotFound");
  });

  it("answers 405 to a GET of its path", async () => {
    const origin = await serve(createServer(createNodeMiddleware(handlerOptions())));
    const answer = await fetch(`${origin}/api/calls`, { signal: AbortSignal.timeout(5_000) });
    expect(answer.status).toBe(405);
    expect(answer.headers.get("allow")).toBe("POST");
  });

  it("works as Connect middleware and passes other paths on to next()", async () => {
    const app = connect();
    app.use(createNodeMiddleware(handlerOptions()));
    app.use((_req, res) => void res.writeHead(418).end());
    const origin = await serve(createServer(app));
    expect(await acceptsSigned(`${origin}/api/calls`)).toBe(202);
    expect((await post(`${origin}/other`, {})).status).toBe(418);
  });

  it("works as Polka middleware", async () => {
    const app = polka();
    app.use(createNodeMiddleware({ ...handlerOptions(), path: "/bot/calls" }));
    app.get("/health", (_req, res) => void res.end("ok"));
    const origin = await serve(createServer(app.handler as never));
    expect(await acceptsSigned(`${origin}/bot/calls`)).toBe(202);
    expect(await (await fetch(`${origin}/health`)).text()).toBe("ok");
  });

  it("takes a handler made elsewhere (shared with a Fetch route) and a path", async () => {
    const handle = createNotificationHandler(handlerOptions());
    const origin = await serve(createServer(createNodeMiddleware(handle, { path: "/shared" })));
    expect(await acceptsSigned(`${origin}/shared`)).toBe(202);
  });

  it("refuses a path that is not a URL path, and a misspelt option with the nearest name", () => {
    expect(() => createNodeMiddleware({ ...handlerOptions(), path: "api/calls" })).toThrow(
      InvalidArgumentError,
    );
    const handle = createNotificationHandler(handlerOptions());
    expect(() => createNodeMiddleware(handle, { pth: "/x" } as never)).toThrow(/path/);
  });
});

describe("fastifyNotifications on Fastify 5", () => {
  let origin: string;
  const app = Fastify();

  beforeAll(async () => {
    app.post("/echo", async (request) => request.body); // the app's JSON parser is untouched
    await app.register(fastifyNotifications, handlerOptions());
    await app.register(fastifyNotifications, {
      handler: createNotificationHandler(handlerOptions()),
      path: "/second/calls",
    });
    await app.listen({ port: 0, host: "127.0.0.1" });
    const address = app.server.address();
    origin = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  });

  afterAll(() => app.close());

  it("accepts a signed notification at /api/calls, and the app still parses JSON elsewhere", async () => {
    expect(await acceptsSigned(`${origin}/api/calls`)).toBe(202);
    const echo = await post(`${origin}/echo`, { hello: "fastify" });
    expect(await echo.json()).toEqual({ hello: "fastify" });
  });

  it("takes a handler and a path, and refuses a bad token with 401", async () => {
    expect(await acceptsSigned(`${origin}/second/calls`)).toBe(202);
    const answer = await post(`${origin}/second/calls`, operationBatch("running"), "not-a-token");
    expect(answer.status).toBe(401);
  });

  it("refuses a body over the limit with 413 (the receiver reads the body, not Fastify)", async () => {
    const huge = JSON.stringify({ value: [], padding: "x".repeat(1024 * 1024 + 1) });
    expect((await post(`${origin}/api/calls`, huge)).status).toBe(413);
  });

  it("fails registration on a bad option", async () => {
    const bad = Fastify();
    await expect(
      bad.register(fastifyNotifications, { ...handlerOptions(), path: "x" }).ready(),
    ).rejects.toThrow(InvalidArgumentError);
    await bad.close();
  });
});

describe("Hono through the Fetch handler", () => {
  it("accepts a signed notification with one line: (c) => handle(c.req.raw)", async () => {
    const handle = createNotificationHandler(handlerOptions());
    const app = new Hono();
    app.post("/api/calls", (c) => handle(c.req.raw));
    const origin = await serve(createServer(getRequestListener(app.fetch)));
    expect(await acceptsSigned(`${origin}/api/calls`)).toBe(202);
  });
});
