import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { ParsedNotification } from "../../../src/notifications/parse/notification.ts";
import { createNotificationHandler } from "../../../src/notifications/receive/handler.ts";
import {
  createTestSigningKeys,
  type RunningKeyServer,
  serveTestSigningKeys,
} from "../../../src/testing/index.ts";
import { expectGraphError } from "../../support/expect-graph-error.ts";
import { type RunningServer, serveHandler } from "../../support/http-server.ts";
import { operationBatch, realShape, specNotificationExamples } from "../../support/notification-fixtures.ts";
import { appId } from "../../support/seed-ids.ts";

let keys: RunningKeyServer;
let http: RunningServer;
let token: string;
const received: ParsedNotification[] = [];
const logger = { warn: vi.fn(), error: vi.fn() };

beforeAll(async () => {
  const signing = await createTestSigningKeys({ appId });
  keys = await serveTestSigningKeys(signing);
  token = await signing.mint();
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

interface RawResponse {
  status: number;
  body: string;
  headers: Record<string, unknown>;
  /** An error after the whole response had arrived (the server closing while the client wrote). */
  lateError: string | undefined;
}

/**
 * Raw node:http request, for what fetch cannot send (odd methods, endless chunked bodies). It stops
 * writing once the response starts and settles when the connection is closed. Like a client that
 * reads early responses (curl), it keeps a response it got whole even if writing then fails
 * (`lateError`), and fails only when the connection breaks before the response is complete.
 */
function rawRequest(options: {
  method: string;
  headers?: Record<string, string>;
  chunks?: () => Buffer | undefined;
}) {
  return new Promise<RawResponse>((resolve, reject) => {
    let response: Omit<RawResponse, "lateError"> | undefined;
    let lateError: string | undefined;
    const req = httpRequest(http.url, { method: options.method, headers: options.headers ?? {} }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => {
        body += c;
      });
      res.on("end", () => {
        response = { status: res.statusCode ?? 0, body, headers: res.headers };
      });
    });
    req.on("error", (error: NodeJS.ErrnoException) => {
      if (response) lateError = error.code ?? error.message;
      else reject(error);
    });
    req.on("close", () => {
      if (response) resolve({ ...response, lateError });
      else reject(new Error("connection closed before the response was complete"));
    });
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
  });
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

  it("answers 413 to an endless chunked body while reading it, and closes that connection cleanly", async () => {
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
    // Closed in stages (FIN, then the rest of the upload read and dropped), not reset under the
    // client's writes, which can lose the response (write EPIPE before it is read).
    expect(raw.lateError).toBeUndefined();
    expect(sent).toBeLessThan(64 * 1024 * 1024);
  });

  it("after that 413, drops a client that uploads on once 16 MiB more have been thrown away", async () => {
    // node:http's client stops uploading when the response ends, so this client is a bare socket,
    // half-open: it goes on writing after the server's FIN.
    const cap = 256 * 1024 * 1024;
    let sent = 0;
    const socket = connect({ port: http.port, host: "127.0.0.1", allowHalfOpen: true });
    let received = "";
    let error: string | undefined;
    socket.setEncoding("utf8");
    socket.on("data", (text: string) => {
      received += text;
    });
    socket.on("error", (e: NodeJS.ErrnoException) => {
      error = e.code;
    });
    const closed = new Promise((resolve) => socket.once("close", resolve));
    const chunk = Buffer.concat([Buffer.from("10000\r\n"), Buffer.alloc(0x10000, 32), Buffer.from("\r\n")]);
    socket.write(
      `POST /api/calls HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\n` +
        "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
    );
    const pump = () => {
      if (socket.destroyed) return;
      if (sent > cap) return socket.end(); // a safety net: the server must hang up long before this
      sent += chunk.byteLength;
      if (socket.write(chunk)) setImmediate(pump);
      else socket.once("drain", pump);
    };
    pump();
    await closed;
    expect(received).toMatch(/^HTTP\/1\.1 413 /);
    expect(received).toMatch(/\r\nconnection: close\r\n/i);
    expect(["EPIPE", "ECONNRESET"]).toContain(error);
    expect(sent).toBeGreaterThan(16 * 1024 * 1024);
    expect(sent).toBeLessThan(cap);
    expect((await send(JSON.stringify(operationBatch("completed")))).status).toBe(202);
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
