import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { InvalidArgumentError } from "../../../src/core/errors.ts";
import type { ParsedNotification } from "../../../src/notifications/parse/notification.ts";
import {
  createNotificationHandler,
  type NotificationContext,
  type NotificationHandlerOptions,
} from "../../../src/notifications/receive/handler.ts";
import { expectGraphError } from "../../support/expect-graph-error.ts";
import {
  appId,
  type KeyServer,
  newSigningKey,
  type SigningKey,
  sign,
  startKeyServer,
  tenantId,
} from "../../support/key-server.ts";
import { operationBatch, realShape, specNotificationExamples } from "../../support/notification-fixtures.ts";
import { caller, type NodeRoute, type Path, paths, startNodeRoute } from "./both-paths.ts";

let server: KeyServer;
let key: SigningKey;
let token: string;
let route: NodeRoute;

beforeAll(async () => {
  key = await newSigningKey("handler-key");
  server = await startKeyServer([key]);
  token = await sign(key);
  route = await startNodeRoute();
});

afterAll(async () => {
  await route.close();
  await server.close();
});

function quietLogger() {
  return { warn: vi.fn(), error: vi.fn() };
}

function handlerOn(path: Path, options: Partial<NotificationHandlerOptions> = {}) {
  const received: ParsedNotification[] = [];
  const logger = quietLogger();
  const handle = createNotificationHandler({
    appId,
    auth: { openIdConfigurationUrl: server.openIdConfigurationUrl },
    onNotification: (n) => {
      received.push(n);
    },
    logger,
    ...options,
  });
  return { handle: caller(path, () => route, handle), received, logger };
}

function post(body: BodyInit | null, headers: Record<string, string> = {}): Request {
  return new Request("http://127.0.0.1/api/calls", {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...headers },
    body,
  });
}

describe.each(paths)("createNotificationHandler on the %s path", (path) => {
  const handlerWith = (options: Partial<NotificationHandlerOptions> = {}) => handlerOn(path, options);

  it.each(specNotificationExamples())(
    "answers 202 to the spec example %s and hands it over",
    async (_, body) => {
      const { handle, received } = handlerWith();
      const response = await handle(post(JSON.stringify(body)));
      expect(response.status).toBe(202);
      expect(await response.text()).toBe("");
      expect(received).toHaveLength(1);
      expect(received[0]).toMatchObject({
        kind: "operation",
        status: expect.stringMatching(/completed|failed/),
      });
    },
  );

  it("hands over every notification of a batch, in order, with the token's claims", async () => {
    const contexts: unknown[] = [];
    const kinds: string[] = [];
    const { handle } = handlerWith({
      onNotification: (n, context) => {
        kinds.push(n.kind);
        contexts.push(context);
      },
    });
    const batch = {
      value: [...realShape(4).value, ...operationBatch("completed").value, ...realShape(3).value],
    };
    const response = await handle(
      post(JSON.stringify(batch), { "content-type": "application/json; charset=utf-8" }),
    );
    expect(response.status).toBe(202);
    expect(kinds).toEqual(["resource", "operation", "resource"]);
    expect(contexts[0]).toMatchObject({ tenantId, claims: { aud: appId } });
  });

  it("gives a repeated token's cached verification to the callback: the same claims and tenant", async () => {
    const contexts: NotificationContext[] = [];
    const { handle } = handlerWith({ onNotification: (_, context) => void contexts.push(context) });
    // The token is cached on its second verification, and served from the cache on the third.
    for (let i = 0; i < 3; i++) {
      expect((await handle(post(JSON.stringify(operationBatch("completed"))))).status).toBe(202);
    }
    const [, second, third] = contexts;
    expect(third?.tenantId).toBe(tenantId);
    expect(third?.claims).toBe(second?.claims);
  });

  it.each(["GET", "PUT", "DELETE", "PATCH", "OPTIONS"])(
    "answers 405 to %s, allowing POST",
    async (method) => {
      const { handle, received } = handlerWith();
      const response = await handle(new Request("http://127.0.0.1/api/calls", { method }));
      expect(response.headers.get("allow")).toBe("POST");
      await expectGraphError(response, 405, "MethodNotAllowed", new RegExp(`${method} is not allowed`));
      expect(received).toHaveLength(0);
    },
  );

  it.each([
    ["no token", {}, /missing bearer token/],
    ["a garbage token", { authorization: "Bearer abc.def.ghi" }, /token rejected/],
  ])("answers 401 to %s, without calling back", async (_, headers, message) => {
    const { handle, received } = handlerWith();
    const request = new Request("http://127.0.0.1/api/calls", {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(operationBatch("completed")),
    });
    const response = await handle(request);
    expect(response.headers.get("www-authenticate")).toBe("Bearer");
    await expectGraphError(response, 401, "InvalidAuthenticationToken", message);
    expect(received).toHaveLength(0);
  });

  it("answers 503 + Retry-After when the signing keys cannot be fetched, logging the detail only", async () => {
    const local = await startKeyServer([key]);
    local.jwksDown = true;
    try {
      const { handle, received, logger } = handlerWith({
        auth: { openIdConfigurationUrl: local.openIdConfigurationUrl },
      });
      const response = await handle(post(JSON.stringify(operationBatch("completed"))));
      expect(response.headers.get("retry-after")).toBe("30");
      expect(response.headers.get("www-authenticate")).toBeNull();
      const text = await response.clone().text();
      expect(text).not.toMatch(/127\.0\.0\.1|http:|fetch failed|JWKS|socket/i);
      await expectGraphError(
        response,
        503,
        "ServiceUnavailable",
        /signing keys .*are unavailable; retry later/,
      );
      expect(logger.warn).toHaveBeenCalledTimes(1);
      const detail = logger.warn.mock.calls[0]?.[1] as Error;
      expect(detail.message).toContain(local.openIdConfigurationUrl.slice(0, 22)); // the URL is in the log
      expect(received).toHaveLength(0);
      // With the keys back, a forged token is a 401 again.
      local.jwksDown = false;
      const healthy = handlerWith({ auth: { openIdConfigurationUrl: local.openIdConfigurationUrl } });
      const forged = `${token.slice(0, -4)}AAAA`;
      await expectGraphError(
        await healthy.handle(
          post(JSON.stringify(operationBatch("completed")), { authorization: `Bearer ${forged}` }),
        ),
        401,
        "InvalidAuthenticationToken",
      );
    } finally {
      await local.close();
    }
  });

  const notJson = /Content-Type must be application\/json/;
  it.each([
    ["no content type", undefined, notJson],
    ["text/plain", "text/plain", notJson],
    ["form data", "application/x-www-form-urlencoded", notJson],
    ["a look-alike", "application/jsonp", notJson],
    ["JSON in KOI8-R", "application/json; charset=koi8-r", /charset "koi8-r" is not supported; use UTF-8/],
    ["JSON in UTF-16", "application/json; charset=utf-16le", /charset "utf-16le" is not supported/],
    ["an unknown charset", 'application/json; charset="x-martian"', /charset "x-martian" is not supported/],
  ])("answers 415 to %s", async (_, contentType, message) => {
    const { handle, received } = handlerWith();
    const headers = new Headers({ authorization: `Bearer ${token}` });
    if (contentType) headers.set("content-type", contentType);
    const request = new Request("http://127.0.0.1/api/calls", {
      method: "POST",
      headers,
      body: new Blob([JSON.stringify(operationBatch("completed"))]).stream(),
      duplex: "half",
    } as RequestInit);
    await expectGraphError(await handle(request), 415, "UnsupportedMediaType", message);
    expect(received).toHaveLength(0);
  });

  it("answers 415 to a compressed body", async () => {
    const { handle, received } = handlerWith();
    const response = await handle(
      post(JSON.stringify(operationBatch("completed")), { "content-encoding": "gzip" }),
    );
    await expectGraphError(response, 415, "UnsupportedMediaType", /Content-Encoding gzip is not supported/);
    expect(received).toHaveLength(0);
  });

  it("accepts application/*+json", async () => {
    const { handle } = handlerWith();
    const response = await handle(
      post(JSON.stringify(operationBatch("completed")), { "content-type": "application/vnd.graph+json" }),
    );
    expect(response.status).toBe(202);
  });

  it("answers 413 to a declared Content-Length over the limit, without reading the body", async () => {
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(10));
      },
    });
    const { handle, received } = handlerWith({ maxBodyBytes: 100 });
    const request = new Request("http://127.0.0.1/api/calls", {
      method: "POST",
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
        "content-length": "101",
      },
      body,
      duplex: "half",
    } as RequestInit);
    await expectGraphError(await handle(request), 413, "RequestEntityTooLarge", /larger than 100 bytes/);
    // On the Node path the client writes what it declared before it sees the answer; the pulls then
    // say nothing about the server (node-adapter.test.ts checks it answers before the body ends).
    if (path === "fetch") expect(pulled).toBeLessThanOrEqual(1);
    expect(received).toHaveLength(0);
  });

  it("answers 413 while reading an endless body, having read just past the limit", async () => {
    let delivered = 0;
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        delivered += 1024;
        controller.enqueue(new Uint8Array(1024).fill(32));
      },
      cancel() {
        cancelled = true;
      },
    });
    const { handle } = handlerWith({ maxBodyBytes: 64 * 1024 });
    const request = new Request("http://127.0.0.1/api/calls", {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body,
      duplex: "half",
    } as RequestInit);
    await expectGraphError(await handle(request), 413, "RequestEntityTooLarge");
    expect(cancelled).toBe(true);
    // Over loopback the kernel's socket buffers (several MiB) hold what the client wrote ahead.
    expect(delivered).toBeLessThanOrEqual(64 * 1024 + (path === "fetch" ? 4 * 1024 : 16 * 1024 * 1024));
  });

  it("accepts a body exactly at the limit", async () => {
    const text = JSON.stringify(operationBatch("completed"));
    const { handle } = handlerWith({ maxBodyBytes: Buffer.byteLength(text) });
    expect((await handle(post(text))).status).toBe(202);
  });

  it.each([
    ["invalid JSON", "{not json", /not valid JSON/],
    ["an empty body", "", /not valid JSON/],
    [
      "a schema violation",
      JSON.stringify({ value: [{ changeType: "moved", resourceUrl: "/x" }] }),
      /body\/value\/0\/changeType must be one of/,
    ],
    ["invalid UTF-8", new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), /body: not valid UTF-8/],
  ])("answers 400 to %s, in Graph's error shape", async (_, body, message) => {
    const { handle, received } = handlerWith();
    await expectGraphError(await handle(post(body)), 400, "BadRequest", message);
    expect(received).toHaveLength(0);
  });

  it("keeps handing over a batch when a callback throws, logs it, and answers 500", async () => {
    const seen: string[] = [];
    const logger = quietLogger();
    const { handle } = handlerWith({
      logger,
      onNotification: async (n) => {
        seen.push(n.resourceUrl);
        if (seen.length === 1) throw new Error("sync-ish failure");
        if (seen.length === 2) await Promise.reject(new Error("async failure"));
      },
    });
    const batch = {
      value: [...realShape(3).value, ...realShape(4).value, ...operationBatch("completed").value],
    };
    const response = await handle(post(JSON.stringify(batch)));
    await expectGraphError(
      response,
      500,
      "InternalServerError",
      /2 of 3 notifications could not be processed/,
    );
    expect(seen).toHaveLength(3);
    expect(logger.error).toHaveBeenCalledTimes(2);
  });

  it("calls back for the next notification only once the last callback's promise (or thenable) settled", async () => {
    const events: string[] = [];
    const { handle, logger } = handlerWith({
      onNotification: (n) => {
        const name = n.kind === "operation" ? "operation" : String(events.length);
        events.push(`start ${name}`);
        if (events.length === 1) {
          return new Promise((resolve) => setTimeout(resolve, 20)).then(() => events.push("end 0"));
        }
        // A thenable that is not a Promise, and rejects: awaited, and counted as a failure.
        if (n.kind === "operation")
          // biome-ignore lint/suspicious/noThenProperty: the thenable is what this test hands back
          return { then: (_: unknown, reject: (e: Error) => void) => reject(new Error("no")) };
        return undefined; // returns at once: the next call follows without waiting
      },
    });
    const batch = {
      value: [...realShape(3).value, ...realShape(4).value, ...operationBatch("completed").value],
    };
    const response = await handle(post(JSON.stringify(batch)));
    expect(events).toEqual(["start 0", "end 0", "start 2", "start operation"]);
    await expectGraphError(
      response,
      500,
      "InternalServerError",
      /1 of 3 notifications could not be processed/,
    );
    expect(logger.error).toHaveBeenCalledTimes(1);
  });

  it("catches a callback that throws synchronously", async () => {
    const { handle, logger } = handlerWith({
      onNotification: () => {
        throw new TypeError("boom");
      },
    });
    await expectGraphError(
      await handle(post(JSON.stringify(operationBatch("completed")))),
      500,
      "InternalServerError",
    );
    expect(logger.error).toHaveBeenCalledWith(
      expect.stringContaining("onNotification threw"),
      expect.any(TypeError),
    );
  });

  it("with auth: false, accepts unsigned requests and says so once in its log", async () => {
    const logger = quietLogger();
    const { handle, received } = handlerWith({ auth: false, logger });
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0]?.[0]).toMatch(/auth is off/);
    for (let i = 0; i < 3; i++) {
      const response = await handle(post(JSON.stringify(operationBatch("completed")), { authorization: "" }));
      expect(response.status).toBe(202);
    }
    expect(received).toHaveLength(3);
    expect(logger.warn).toHaveBeenCalledTimes(1);
  });

  it("with auth on, logs no warning at creation", () => {
    const { logger } = handlerWith();
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it.each([
    ["no appId", { appId: "" }, /appId/],
    ["no callback", { onNotification: undefined }, /onNotification/],
    ["a zero body limit", { maxBodyBytes: 0 }, /maxBodyBytes/],
    ["a fractional body limit", { maxBodyBytes: 1.5 }, /maxBodyBytes/],
    ["auth: true", { auth: true }, /auth must be/],
    ["auth: null", { auth: null }, /auth must be/],
    ["a logger without error()", { logger: { warn: () => {} } }, /logger/],
    ["a negative body deadline", { bodyTimeoutMs: -1 }, /options\.bodyTimeoutMs must be a number >= 1/],
    [
      "a callback deadline of 0",
      { callbackTimeoutMs: 0 },
      /options\.callbackTimeoutMs must be a number >= 1/,
    ],
  ])("refuses options with %s", (_, options, message) => {
    const attempt = () => handlerWith(options as unknown as Partial<NotificationHandlerOptions>);
    expect(attempt).toThrow(InvalidArgumentError);
    expect(attempt).toThrow(message);
  });

  it("answers 503 + Retry-After when the callbacks do not settle in time, and logs their late outcome", async () => {
    let settle: () => void = () => {};
    const { handle, logger } = handlerWith({
      callbackTimeoutMs: 100,
      onNotification: () => new Promise<void>((resolve) => (settle = resolve)),
    });
    const started = Date.now();
    const response = await handle(post(JSON.stringify(operationBatch("completed"))));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(response.headers.get("retry-after")).toBe("5");
    await expectGraphError(response, 503, "ServiceUnavailable", /not processed within 100 ms; retry later/);
    expect(logger.warn).not.toHaveBeenCalled();
    settle();
    await vi.waitFor(() => expect(logger.warn).toHaveBeenCalledTimes(1));
    expect(logger.warn.mock.calls[0]?.[0]).toMatch(
      /settled \d+ ms after it arrived, past callbackTimeoutMs.*0 of them failed/,
    );
  });

  it("answers 503 + Retry-After when a callback throws an error marked retryable (a store that is down)", async () => {
    const { handle, logger } = handlerWith({
      onNotification: () => {
        throw Object.assign(new Error("store unavailable"), { retryable: true });
      },
    });
    const response = await handle(post(JSON.stringify(operationBatch("completed"))));
    expect(response.headers.get("retry-after")).toBe("5");
    await expectGraphError(
      response,
      503,
      "ServiceUnavailable",
      /1 of 1 notifications could not be processed for now/,
    );
    expect(logger.error).toHaveBeenCalledTimes(1);
  });

  it.each([
    ["streamed", {}],
    ["its length declared", { "content-length": "500" }],
  ])("answers 408 to a body that stalls past bodyTimeoutMs (%s)", async (_, extraHeaders) => {
    const { handle, received } = handlerWith({ bodyTimeoutMs: 150 });
    const stalled = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"value":['));
      },
    });
    const request = new Request("http://127.0.0.1/api/calls", {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...extraHeaders },
      body: stalled,
      duplex: "half",
    } as RequestInit);
    const response = await handle(request);
    if (path === "node") expect(response.headers.get("connection")).toBe("close");
    await expectGraphError(response, 408, "RequestTimeout", /did not arrive within 150 ms/);
    expect(received).toHaveLength(0);
  });

  it("gives the callback the request: method, URL and headers", async () => {
    const seen: Request[] = [];
    const { handle } = handlerWith({ onNotification: (_, context) => void seen.push(context.request) });
    const response = await handle(post(JSON.stringify(operationBatch("completed")), { "x-trace": "t-1" }));
    expect(response.status).toBe(202);
    expect(seen[0]).toBeInstanceOf(Request);
    expect(seen[0]?.method).toBe("POST");
    expect(new URL(seen[0]?.url ?? "").pathname).toBe("/api/calls");
    expect(seen[0]?.headers.get("x-trace")).toBe("t-1");
  });

  it("refuses a misspelt option, naming the nearest one", () => {
    const attempt = () => handlerWith({ maxBodyByte: 10 } as Partial<NotificationHandlerOptions>);
    expect(attempt).toThrow(InvalidArgumentError);
    expect(attempt).toThrow('options.maxBodyByte is not allowed (did you mean "maxBodyBytes"?)');
  });
});

describe("createNotificationHandler's Fetch-path body reader", () => {
  it("reads a body of declared length whole (arrayBuffer), never touching its stream", async () => {
    const { handle, received } = handlerOn("fetch", { auth: false });
    const text = JSON.stringify(operationBatch("completed"));
    const real = post(text, { "content-length": String(Buffer.byteLength(text)) });
    let streamed = 0;
    // What @hono/node-server hands over: a Request whose stream is costly and whose arrayBuffer() is not.
    const request = new Proxy(real, {
      get(target, property) {
        if (property === "body") streamed++;
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    expect((await handle(request)).status).toBe(202);
    expect(streamed).toBe(0);
    expect(received).toHaveLength(1);
  });

  it("answers 413 to a hand-made Request whose body is longer than its Content-Length says", async () => {
    const { handle, received } = handlerOn("fetch", { auth: false, maxBodyBytes: 100 });
    const request = post(JSON.stringify(operationBatch("completed")), { "content-length": "90" });
    await expectGraphError(await handle(request), 413, "RequestEntityTooLarge", /larger than 100 bytes/);
    expect(received).toHaveLength(0);
  });
});
