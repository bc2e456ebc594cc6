import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { graphErrorResponse } from "./graph-error-response.ts";
import type { NotificationHandler } from "./handler.ts";

/**
 * Adapts a Fetch-API handler to `node:http`: the request body is streamed to the handler (so its
 * size limit applies while reading), and when the handler answers before reading the whole body
 * (413) the connection is closed after the response, without losing it. A handler that throws
 * gets a 500.
 *
 * @example
 * http.createServer(toNodeListener(createNotificationHandler({ appId, onNotification }))).listen(3978, "127.0.0.1");
 */
export function toNodeListener(
  handler: NotificationHandler,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    respond(handler, req, res).catch(() => res.destroy());
  };
}

async function respond(
  handler: NotificationHandler,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const response = await answer(handler, req);
  if (res.headersSent || res.destroyed) return;
  const body = Buffer.from(await response.arrayBuffer());
  const headers: Record<string, string> = Object.fromEntries(response.headers);
  if (!req.complete) {
    headers.connection = "close";
    lingerOnClose(req, req.socket);
  }
  res.writeHead(response.status, headers);
  res.end(body);
}

async function answer(handler: NotificationHandler, req: IncomingMessage): Promise<Response> {
  let request: Request;
  try {
    request = toRequest(req);
  } catch {
    // The Fetch API refuses some methods (TRACE, CONNECT...) and header values Node accepts.
    if (req.method !== "POST") return new Response(null, { status: 405, headers: { allow: "POST" } });
    return graphErrorResponse(400, "BadRequest", "The request cannot be read (malformed headers)");
  }
  try {
    return await handler(request);
  } catch {
    return new Response(null, { status: 500 });
  }
}

/** How long, and how many bytes, a connection closed with its request body unread goes on reading. */
const lingerMs = 2_000;
const lingerBytes = 16 * 1024 * 1024;

/**
 * Closes a connection whose request body was left unread in stages (RFC 9112 §9.6), so a client
 * still uploading gets the response: FIN after it, then the bytes still coming are read and dropped
 * until the client closes its side, or for at most {@link lingerMs} / {@link lingerBytes}.
 *
 * Why: Node ends a `Connection: close` response with `socket.destroySoon()`, which destroys the
 * socket as soon as the response is written. Unread bytes in the socket then make the kernel send
 * RST, which can reach the client before it has read the response: it gets `write EPIPE` or
 * `ECONNRESET` instead of the 413 (node-adapter.test.ts, "endless chunked body", failed so on
 * Node 22). Without `destroySoon`, Node takes its other branch, `socket.end()`, a half-close (http
 * servers allow half-open sockets), and leaves the socket to us.
 */
function lingerOnClose(req: IncomingMessage, socket: Socket): void {
  Object.defineProperty(socket, "destroySoon", { value: undefined, configurable: true, writable: true });
  let dropped = 0;
  const stop = () => socket.destroy();
  const timer = setTimeout(stop, lingerMs);
  timer.unref();
  socket.once("close", () => clearTimeout(timer));
  socket.once("finish", () => {
    // Our side is closed (FIN sent): from now on, drop what the client still sends.
    req.on("data", (chunk: Buffer) => {
      dropped += chunk.byteLength;
      if (dropped > lingerBytes) stop();
    });
    req.resume();
  });
}

function toRequest(req: IncomingMessage): Request {
  const headers = new Headers();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    headers.append(req.rawHeaders[i] as string, req.rawHeaders[i + 1] as string);
  }
  const host = req.headers.host ?? "localhost";
  const base = URL.canParse(`http://${host}`) ? `http://${host}` : "http://localhost";
  const url = URL.canParse(req.url ?? "/", base) ? new URL(req.url ?? "/", base) : new URL(base);
  const method = req.method ?? "GET";
  if (method === "GET" || method === "HEAD") return new Request(url, { method, headers });
  return new Request(url, { method, headers, body: bodyStream(req), duplex: "half" } as RequestInit);
}

/** The body as a web stream that pauses the socket when full and, on cancel, just stops reading. */
function bodyStream(req: IncomingMessage): ReadableStream<Uint8Array> {
  let finished = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      req.on("data", (chunk: Buffer) => {
        if (finished) return;
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 0) <= 0) req.pause();
      });
      req.on("end", () => {
        if (!finished) controller.close();
        finished = true;
      });
      req.on("error", (error) => {
        if (!finished) controller.error(error);
        finished = true;
      });
      req.on("aborted", () => {
        if (!finished) controller.error(new Error("request aborted"));
        finished = true;
      });
    },
    pull() {
      req.resume();
    },
    cancel() {
      finished = true;
      req.pause();
    },
  });
}
