/**
 * Runs the handler tests on both paths: the Fetch handler called with a `Request`, and the same
 * handler behind `toNodeListener` on a node:http server on 127.0.0.1, reached by sending that
 * `Request`'s method, headers and (streamed) body with node:http and turning the answer back into
 * a `Response`. One server per test file; `use()` points it at the handler under test.
 */
import { createServer, request as httpRequest, type IncomingMessage } from "node:http";
import type { NotificationHandler } from "../../../src/notifications/receive/handler.ts";
import { toNodeListener } from "../../../src/notifications/receive/node-adapter.ts";
import { type LocalServer, listenLocal } from "../../support/listen-local.ts";

export type Path = "fetch" | "node";
export const paths: readonly Path[] = ["fetch", "node"];

export interface NodeRoute {
  /** Sends `request` to `handler` through the Node path. */
  send(handler: NotificationHandler, request: Request): Promise<Response>;
  close(): Promise<void>;
}

export async function startNodeRoute(): Promise<NodeRoute> {
  let listener: ReturnType<typeof toNodeListener> | undefined;
  let routed: NotificationHandler | undefined;
  const server = createServer((req, res) => listener?.(req, res));
  const local: LocalServer = await listenLocal(server);
  return {
    send(handler, request) {
      if (routed !== handler) [routed, listener] = [handler, toNodeListener(handler)];
      return forward(local.port, request);
    },
    close: local.close,
  };
}

/** The caller for a path: the handler itself, or the handler through the Node route. */
export function caller(
  path: Path,
  route: () => NodeRoute,
  handler: NotificationHandler,
): NotificationHandler {
  return path === "fetch" ? handler : (request) => route().send(handler, request);
}

function forward(port: number, request: Request): Promise<Response> {
  const url = new URL(request.url);
  return new Promise<Response>((resolve, reject) => {
    let answered = false;
    const req = httpRequest(
      {
        host: "127.0.0.1",
        port,
        path: `${url.pathname}${url.search}`,
        method: request.method,
        headers: Object.fromEntries(request.headers),
        agent: false,
      },
      (res) => {
        answered = true;
        collect(res).then((body) => resolve(toResponse(res, body)), reject);
      },
    );
    req.on("error", (error) => {
      if (!answered) reject(error);
    });
    pump(request.body, req, () => answered).catch(() => undefined);
  });
}

/**
 * Writes the body with back-pressure, and stops (cancelling the stream) once the server answered.
 * A declared `Content-Length` caps what is written, as on the wire no client can send more.
 */
async function pump(
  body: ReadableStream<Uint8Array> | null,
  req: ReturnType<typeof httpRequest>,
  answered: () => boolean,
): Promise<void> {
  const declared = req.getHeader("content-length");
  let room = declared === undefined ? Number.POSITIVE_INFINITY : Number(declared);
  if (body === null) {
    req.end();
    return;
  }
  const reader = body.getReader();
  const response = new Promise<void>((resolve) => req.once("response", () => resolve()));
  try {
    for (;;) {
      if (answered() || req.destroyed) break;
      const { done, value } = await reader.read();
      if (done || room <= 0) {
        req.end();
        if (done) return;
        break;
      }
      const chunk = value.byteLength > room ? value.subarray(0, room) : value;
      room -= chunk.byteLength;
      if (!req.write(chunk)) {
        await Promise.race([new Promise((resolve) => req.once("drain", resolve)), response]);
      }
    }
  } finally {
    reader.releaseLock();
  }
  await body.cancel().catch(() => undefined);
}

function collect(res: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on("data", (chunk: Buffer) => chunks.push(chunk));
    res.on("end", () => resolve(Buffer.concat(chunks)));
    res.on("error", reject);
  });
}

function toResponse(res: IncomingMessage, body: Buffer): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  return new Response(body.byteLength === 0 ? null : new Uint8Array(body), {
    status: res.statusCode ?? 0,
    headers,
  });
}
