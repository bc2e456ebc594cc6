import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createNotificationHandler } from "../../src/notifications/handler.ts";
import type { ParsedNotification } from "../../src/notifications/notification.ts";
import { type RunningServer, serveHandler } from "../support/http-server.ts";
import { appId, type KeyServer, newSigningKey, sign, startKeyServer } from "../support/key-server.ts";
import { expectGraphError } from "./expect-graph-error.ts";
import { operationBatch, realShape, specNotificationExamples } from "./fixtures.ts";

let keys: KeyServer;
let http: RunningServer;
let token: string;
const received: ParsedNotification[] = [];
const logger = { warn: vi.fn(), error: vi.fn() };

beforeAll(async () => {
  const key = await newSigningKey("http-key");
  keys = await startKeyServer([key]);
  token = await sign(key);
  const handle = createNotificationHandler({
    appId,
    auth: { openIdConfigurationUrl: keys.openIdConfigurationUrl },
    maxBodyBytes: 64 * 1024,
    logger,
    onNotification: (n) => {
      if (n.resourceUrl.endsWith("/explode")) throw new Error("callback bug");
      received.push(n);
    },
  });
  http = await serveHandler(handle);
});

afterAll(async () => {
  await http.close();
  await keys.close();
});

function send(body: string, headers: Record<string, string> = {}, method = "POST") {
  return fetch(http.url, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...headers },
    ...(method === "GET" || method === "HEAD" ? {} : { body }),
  });
}

/** Raw node:http request, for what fetch cannot send (odd methods, endless chunked bodies). */
function rawRequest(options: {
  method: string;
  headers?: Record<string, string>;
  chunks?: () => Buffer | undefined;
}) {
  return new Promise<{ status: number; body: string; headers: Record<string, unknown> }>(
    (resolve, reject) => {
      const req = httpRequest(http.url, { method: options.method, headers: options.headers ?? {} }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => {
          body += c;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
        res.on("error", reject);
      });
      req.on("error", reject);
      if (!options.chunks) return req.end();
      let answered = false;
      req.on("response", () => {
        answered = true;
      });
      const pump = () => {
        if (answered || req.destroyed) return;
        const chunk = options.chunks?.();
        if (!chunk) return req.end();
        if (req.write(chunk)) setImmediate(pump);
        else req.once("drain", pump);
      };
      pump();
    },
  );
}

describe("toNodeListener over real HTTP (127.0.0.1)", () => {
  it("answers 202 to the spec examples and hands them over", async () => {
    received.length = 0;
    for (const [, body] of specNotificationExamples()) {
      const response = await send(JSON.stringify(body));
      expect(response.status).toBe(202);
    }
    expect(received.map((n) => n.kind)).toEqual(["operation", "operation"]);
  });

  it("answers 400 to invalid JSON and to a schema violation", async () => {
    await expectGraphError(await send("{"), 400, "BadRequest");
    await expectGraphError(await send(JSON.stringify({ value: {} })), 400, "BadRequest");
  });

  it("answers 401 without a token and with a bad one", async () => {
    await expectGraphError(await send("{}", { authorization: "" }), 401, "InvalidAuthenticationToken");
    await expectGraphError(
      await send("{}", { authorization: "Bearer x.y.z" }),
      401,
      "InvalidAuthenticationToken",
    );
  });

  it("answers 405 to GET and to methods fetch cannot model", async () => {
    const response = await send("", {}, "GET");
    expect(response.headers.get("allow")).toBe("POST");
    await expectGraphError(response, 405, "MethodNotAllowed");
    for (const method of ["PUT", "TRACE"]) {
      const raw = await rawRequest({ method });
      expect(raw.status).toBe(405);
      expect(raw.headers.allow).toBe("POST");
    }
  });

  it("answers 415 to a non-JSON content type", async () => {
    await expectGraphError(
      await send("a=1", { "content-type": "application/x-www-form-urlencoded" }),
      415,
      "UnsupportedMediaType",
    );
  });

  it("answers 413 to a declared Content-Length over the limit", async () => {
    await expectGraphError(await send(" ".repeat(64 * 1024 + 1)), 413, "RequestEntityTooLarge");
  });

  it("answers 413 to an endless chunked body while reading it, and closes that connection", async () => {
    let sent = 0;
    const raw = await rawRequest({
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      chunks: () => {
        if (sent > 64 * 1024 * 1024) return undefined; // a safety net: the server must answer long before this
        sent += 16 * 1024;
        return Buffer.alloc(16 * 1024, 32);
      },
    });
    expect(raw.status).toBe(413);
    expect(JSON.parse(raw.body).error.code).toBe("RequestEntityTooLarge");
    expect(raw.headers.connection).toBe("close");
    expect(sent).toBeLessThan(64 * 1024 * 1024);
  });

  it("answers 500 when a callback throws, still hands over the rest, and keeps serving", async () => {
    received.length = 0;
    const explode = { changeType: "updated", resourceUrl: "/communications/calls/abc/explode" };
    const batch = { value: [explode, ...operationBatch("completed").value, ...realShape(3).value] };
    await expectGraphError(await send(JSON.stringify(batch)), 500, "InternalServerError");
    expect(received).toHaveLength(2);
    expect(logger.error).toHaveBeenCalled();
    expect((await send(JSON.stringify(operationBatch("running")))).status).toBe(202);
  });

  it("stays up when a client hangs up mid-body", async () => {
    await new Promise<void>((resolve) => {
      const req = httpRequest(http.url, {
        method: "POST",
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
          "content-length": "1000",
        },
      });
      req.on("error", () => resolve());
      req.write('{"value":[', () => {
        req.destroy();
        resolve();
      });
    });
    expect((await send(JSON.stringify(operationBatch("completed")))).status).toBe(202);
  });
});
