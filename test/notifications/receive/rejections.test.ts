/**
 * The handler's refusal reports (`onRejected`, and the rate-limited log line that is its default) on
 * both paths: a bot pointed at an unsigned sender learns why nothing arrives, without the token or
 * the body ever reaching its logs.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { InvalidArgumentError } from "../../../src/core/errors.ts";
import { StoreUnavailableError } from "../../../src/notifications/errors.ts";
import {
  createNotificationHandler,
  type NotificationHandlerOptions,
} from "../../../src/notifications/receive/handler.ts";
import {
  logIntervalMs,
  type NotificationRejection,
  rejectionReporter,
} from "../../../src/notifications/receive/rejections.ts";
import {
  appId,
  graphClaims,
  type KeyServer,
  newSigningKey,
  type SigningKey,
  sign,
  startKeyServer,
} from "../../support/key-server.ts";
import { operationBatch } from "../../support/notification-fixtures.ts";
import { caller, type NodeRoute, type Path, paths, startNodeRoute } from "./both-paths.ts";

let server: KeyServer;
let key: SigningKey;
let token: string;
let route: NodeRoute;
const body = JSON.stringify(operationBatch("completed"));

beforeAll(async () => {
  key = await newSigningKey("rejections-key");
  server = await startKeyServer([key]);
  token = await sign(key);
  route = await startNodeRoute();
});

afterAll(async () => {
  await route.close();
  await server.close();
});

function post(headers: Record<string, string>, payload: string = body): Request {
  return new Request("http://127.0.0.1/api/calls?tenant=1", {
    method: "POST",
    headers: { "content-type": "application/json", "content-length": String(payload.length), ...headers },
    body: payload,
  });
}

describe.each(paths)("onRejected on the %s path", (path: Path) => {
  function handlerWith(options: Partial<NotificationHandlerOptions> = {}) {
    const rejections: NotificationRejection[] = [];
    const logger = { warn: vi.fn(), error: vi.fn() };
    const handle = createNotificationHandler({
      appId,
      auth: { openIdConfigurationUrl: server.openIdConfigurationUrl },
      onNotification: () => undefined,
      onRejected: (rejection) => {
        rejections.push(rejection);
      },
      logger,
      ...options,
    });
    return { handle: caller(path, () => route, handle), rejections, logger };
  }

  it("is called for an unsigned notification: 401 missing-token and a safe summary of the request", async () => {
    const { handle, rejections } = handlerWith();
    const response = await handle(post({}));
    expect(response.status).toBe(401);
    expect(rejections).toEqual([
      {
        status: 401,
        reason: "missing-token",
        message: "missing bearer token",
        request: {
          method: "POST",
          path: "/api/calls",
          contentType: "application/json",
          contentLength: String(body.length),
          // The Node path knows the peer; a Fetch `Request` does not carry it.
          ...(path === "node" ? { remoteAddress: "127.0.0.1" } : {}),
        },
      },
    ]);
  });

  it("summarises a bad token by its header and claims, never the token or the body", async () => {
    const { handle, rejections } = handlerWith();
    const stranger = await sign(key, graphClaims({ aud: "another-bot" }));
    const response = await handle(post({ authorization: `Bearer ${stranger}` }));
    expect(response.status).toBe(401);
    expect(rejections[0]).toMatchObject({
      status: 401,
      reason: "bad-token",
      request: { token: { alg: "RS256", kid: "rejections-key", iss: graphClaims().iss, aud: "another-bot" } },
    });
    const reported = JSON.stringify(rejections);
    expect(reported).not.toContain(stranger.split(".")[1]);
    expect(reported).not.toContain("resourceUrl");
  });

  it.each([
    ["method-not-allowed", 405, () => new Request("http://127.0.0.1/api/calls", { method: "GET" })],
    [
      "unsupported-media-type",
      415,
      () => post({ authorization: `Bearer ${token}`, "content-type": "text/plain" }),
    ],
    ["invalid-body", 400, () => post({ authorization: `Bearer ${token}` }, '{"value": 1}')],
    [
      "body-too-large",
      413,
      () => post({ authorization: `Bearer ${token}` }, JSON.stringify({ value: [], pad: "x".repeat(4096) })),
    ],
  ] as const)("reports %s (%i)", async (reason, status, request) => {
    const { handle, rejections } = handlerWith({ maxBodyBytes: 2048 });
    const response = await handle(request());
    expect(response.status).toBe(status);
    expect(rejections).toMatchObject([{ status, reason }]);
  });

  it.each([
    ["callback-failed", 500, new Error("bug")],
    ["callback-unavailable", 503, new StoreUnavailableError("store down")],
  ] as const)("reports %s (%i) when onNotification throws", async (reason, status, error) => {
    const { handle, rejections } = handlerWith({
      onNotification: () => {
        throw error;
      },
    });
    const response = await handle(post({ authorization: `Bearer ${token}` }));
    expect(response.status).toBe(status);
    expect(rejections).toMatchObject([{ status, reason }]);
  });

  it("is not called for an accepted batch", async () => {
    const { handle, rejections } = handlerWith();
    const response = await handle(post({ authorization: `Bearer ${token}` }));
    expect(response.status).toBe(202);
    expect(rejections).toEqual([]);
  });

  it("a hook that throws or rejects is logged and the answer still goes out", async () => {
    const throwing = handlerWith({
      onRejected: () => {
        throw new Error("hook bug");
      },
    });
    await expect(throwing.handle(post({}))).resolves.toHaveProperty("status", 401);
    expect(throwing.logger.error).toHaveBeenCalledWith(
      expect.stringContaining("onRejected threw"),
      expect.any(Error),
    );

    const rejecting = handlerWith({ onRejected: () => Promise.reject(new Error("async hook bug")) });
    await expect(rejecting.handle(post({}))).resolves.toHaveProperty("status", 401);
    await vi.waitFor(() => expect(rejecting.logger.error).toHaveBeenCalledOnce());
  });

  it("logs a line per refusal through the logger when no hook is given", async () => {
    const logger = { warn: vi.fn(), error: vi.fn() };
    const handle = caller(
      path,
      () => route,
      createNotificationHandler({
        appId,
        auth: { openIdConfigurationUrl: server.openIdConfigurationUrl },
        onNotification: () => undefined,
        logger,
      }),
    );
    expect((await handle(post({}))).status).toBe(401);
    expect((await handle(post({}))).status).toBe(401);
    // One line for the reason: the second refusal within the minute is counted, not logged.
    expect(logger.warn).toHaveBeenCalledOnce();
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(
        /^notification handler: refused POST \/api\/calls with 401 missing-token: missing bearer token/,
      ),
      expect.objectContaining({ path: "/api/calls" }),
    );
  });
});

describe("the default rejection log", () => {
  const answer = { status: 401, reason: "missing-token" as const };
  const incoming = { method: "POST", header: () => null };

  it("logs one line per reason per minute and counts the refusals it left out", () => {
    let now = 1_000;
    const logger = { warn: vi.fn(), error: vi.fn() };
    const report = rejectionReporter(undefined, logger, () => now);
    report(answer, incoming);
    report(answer, incoming);
    report(answer, incoming);
    report({ status: 405, reason: "method-not-allowed" }, incoming);
    expect(logger.warn.mock.calls.map(([line]) => line)).toEqual([
      expect.stringContaining("401 missing-token"),
      expect.stringContaining("405 method-not-allowed"),
    ]);
    now += logIntervalMs - 1;
    report(answer, incoming);
    expect(logger.warn).toHaveBeenCalledTimes(2);
    now += 1;
    report(answer, incoming);
    expect(logger.warn).toHaveBeenCalledTimes(3);
    expect(logger.warn.mock.calls[2]?.[0]).toContain(
      "(3 more refused for missing-token since the last line about it)",
    );
  });
});

describe("the default rejection log, for refusals logged elsewhere", () => {
  it("adds no line of its own (a callback failure is logged with its error by the handler)", () => {
    const logger = { warn: vi.fn(), error: vi.fn() };
    const report = rejectionReporter(undefined, logger);
    for (const reason of ["keys-unavailable", "callback-failed", "callback-timeout"] as const) {
      report({ status: 503, reason }, { method: "POST", header: () => null });
    }
    report({ status: 415, reason: "unsupported-media-type" }, { method: "POST", header: () => null });
    expect(logger.warn).toHaveBeenCalledOnce();
  });
});

describe("options.onRejected", () => {
  it("must be a function", () => {
    expect(() =>
      createNotificationHandler({
        appId,
        auth: false,
        onNotification: () => undefined,
        onRejected: "log" as never,
        logger: { warn: () => undefined, error: () => undefined },
      }),
    ).toThrow(InvalidArgumentError);
  });
});
