import { readFileSync } from "node:fs";
import {
  createServer,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type Server,
  type ServerResponse,
} from "node:http";
import { checkNumber, checkRecord, checkTimeout, fail } from "../../core/check.ts";
import { graphError, type ReceiverAnswer, toResponse } from "./answers.ts";
import type { Deadlines } from "./deadlines.ts";
import {
  type IncomingNotification,
  type NotificationHandler,
  type NotificationReceiver,
  type RequestHeader,
  receiverKey,
} from "./handler.ts";
import { readNodeBody } from "./read-body.ts";
import { type RequestTarget, refused, settled } from "./rejections.ts";

/**
 * Adapts a notification handler to a `node:http` request listener (a {@link createNotificationHandler} one reads
 * and writes Node's objects directly); an answer before the whole body (401, 408, 413) closes the connection.
 * @example
 * import http from "node:http";
 * import { createNotificationHandler, toNodeListener } from "graph-comms-kit/notifications";
 *
 * const handle = createNotificationHandler({ appId: "<bot app id>", onNotification: (notification) => console.log(notification) });
 * http.createServer(toNodeListener(handle)).listen(3978, "127.0.0.1");
 */
export function toNodeListener(
  handler: NotificationHandler,
): (req: IncomingMessage, res: ServerResponse) => void {
  if (typeof handler !== "function") fail("handler", "must be a function (a NotificationHandler)");
  // The Node path builds no `Request`, stream or `Response`, which converting would cost.
  const receive = handler[receiverKey];
  if (!receive) return fetchListener(handler);
  return (req, res) => answerNode(receive, req, res);
}

/** Receives one request on the Node path and writes its answer, at once when it is ready; never throws. */
export function answerNode(
  receive: NotificationReceiver,
  req: IncomingMessage,
  res: ServerResponse,
  incoming: IncomingNotification = new NodeIncoming(req),
): void {
  let answer: ReceiverAnswer | Promise<ReceiverAnswer>;
  try {
    answer = receive(incoming);
  } catch {
    answer = refused("internal-error", { status: 500 });
  }
  if (answer instanceof Promise) {
    answer.then(
      (ready) => writeAnswer(req, res, settled(receive, ready, incoming)),
      () => writeAnswer(req, res, settled(receive, refused("internal-error", { status: 500 }), incoming)),
    );
  } else {
    writeAnswer(req, res, settled(receive, answer, incoming));
  }
}

/** Options of {@link createNotificationServer}. */
export interface NotificationServerOptions {
  /**
   * How long a client may take to send the headers, in ms (Node's `server.headersTimeout`); `Infinity` for no limit.
   * @default 5000
   */
  headersTimeoutMs?: number;
  /**
   * How long a whole request may take, in ms (Node's `server.requestTimeout`); `Infinity` for no limit.
   * @default 30000
   */
  requestTimeoutMs?: number;
  /**
   * How long an idle kept-alive connection stays open, in ms (Node's `server.keepAliveTimeout`).
   * @default 5000
   */
  keepAliveTimeoutMs?: number;
  /**
   * The most connections held at once (Node's `server.maxConnections`); keep it under the open-file limit minus
   * what else the process opens, or nothing in it gets a file. `Infinity` for no limit.
   * @default half the process's open-file limit, at most 1000 (500 where the limit cannot be read)
   */
  maxConnections?: number;
}

/**
 * Creates a `node:http` server for a notification handler, with deadlines that keep slow senders from holding
 * it and connections capped below the file limit (see {@link NotificationServerOptions}).
 * @example
 * import { createNotificationHandler, createNotificationServer, createOperationTracker } from "graph-comms-kit/notifications";
 *
 * const tracker = createOperationTracker();
 * const handle = createNotificationHandler({ appId: "<bot app id>", onNotification: tracker.handle });
 * createNotificationServer(handle, { maxConnections: 1_000 }).listen(3978, "127.0.0.1");
 */
export function createNotificationServer(
  handler: NotificationHandler,
  options: NotificationServerOptions = {},
): Server {
  const given = checkRecord("options", options, [
    "headersTimeoutMs",
    "requestTimeoutMs",
    "keepAliveTimeoutMs",
    "maxConnections",
  ]) as NotificationServerOptions;
  const headersTimeout = checkTimeout("options.headersTimeoutMs", given.headersTimeoutMs ?? 5_000) ?? 0;
  const requestTimeout = checkTimeout("options.requestTimeoutMs", given.requestTimeoutMs ?? 30_000) ?? 0;
  if (requestTimeout > 0 && (headersTimeout === 0 || headersTimeout > requestTimeout)) {
    fail("options.headersTimeoutMs", "must not be longer than options.requestTimeoutMs");
  }
  const keepAliveTimeout = checkNumber("options.keepAliveTimeoutMs", given.keepAliveTimeoutMs ?? 5_000, 0);
  const server = createServer(
    {
      headersTimeout,
      requestTimeout,
      keepAliveTimeout,
      // How often Node looks for requests past their deadlines.
      connectionsCheckingInterval: Math.max(100, Math.min(1_000, (headersTimeout || 2_000) / 2)),
    },
    toNodeListener(handler),
  );
  const maxConnections = given.maxConnections ?? defaultMaxConnections();
  if (maxConnections !== Number.POSITIVE_INFINITY) {
    server.maxConnections = checkNumber("options.maxConnections", maxConnections, 1, true);
  }
  return server;
}

/** Half the open-file limit, at most 1000, so a flood of connections leaves files for the rest; else 500. */
export function defaultMaxConnections(limits = "/proc/self/limits"): number {
  let text: string;
  try {
    text = readFileSync(limits, "utf8");
  } catch {
    return 500;
  }
  const soft = /^Max open files\s+(\d+|unlimited)/m.exec(text)?.[1];
  if (soft === undefined) return 500;
  if (soft === "unlimited") return 1_000;
  return Math.max(1, Math.min(1_000, Math.floor(Number(soft) / 2)));
}

/** A `node:http` request as the receiver core reads it (a class: no closures per request). */
export class NodeIncoming implements IncomingNotification {
  readonly method: string;
  readonly #req: IncomingMessage;

  constructor(req: IncomingMessage) {
    this.#req = req;
    this.method = req.method ?? "GET";
  }

  header(name: RequestHeader): string | null {
    const value = this.#req.headers[name];
    return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
  }

  readBody(limitBytes: number, deadlines: Deadlines | undefined): Promise<Uint8Array> {
    return readNodeBody(this.#req, limitBytes, deadlines);
  }

  request(): Request {
    return toRequest(this.#req, false);
  }

  describe(): RequestTarget {
    const { url = "/", socket, headers } = this.#req;
    const query = url.indexOf("?");
    return {
      path: query === -1 ? url : url.slice(0, query),
      scheme: (socket as { encrypted?: boolean } | null)?.encrypted ? "https" : "http",
      contentLength: headers["content-length"] ?? null,
      remoteAddress: socket?.remoteAddress,
    };
  }
}

function writeAnswer(req: IncomingMessage, res: ServerResponse, answer: ReceiverAnswer): void {
  if (res.headersSent || res.destroyed) return;
  // The usual answer, 202 to a request read whole: nothing to add.
  if (answer.headers === undefined && answer.error === undefined && req.complete) {
    res.writeHead(answer.status).end();
    return;
  }
  const headers: OutgoingHttpHeaders = { ...answer.headers };
  let body: string | undefined;
  if (answer.error !== undefined) {
    body = JSON.stringify(answer.error);
    headers["content-type"] = "application/json";
    headers["content-length"] = Buffer.byteLength(body);
  }
  if (!req.complete) {
    headers.connection = "close";
    lingerBeforeClosing(req);
  }
  res.writeHead(answer.status, headers);
  res.end(body);
}

/** How long and how much more a connection answered early is read (a loopback sender pushes MiBs before reading). */
const linger = { ms: 2_000, bytes: 16 * 1024 * 1024, totalBytes: 64 * 1024 * 1024 };
/** The bytes read and dropped by the connections answered early within the last `linger.ms`, in this process. */
let lingeringBytes = 0;
/** The connections answered early, with their socket's `bytesRead` then and the bytes counted since. */
const lingering = new WeakMap<IncomingMessage["socket"], { read: number; counted: number }>();

/**
 * Closes a connection answered early in stages (RFC 9112 §9.6), since a reset over unread bytes can discard the answer;
 * the rest is read within `linger` by a counter, because Node's own `req._dump()` would read it unbounded.
 */
function lingerBeforeClosing(req: IncomingMessage): void {
  const socket = req.socket;
  const state = lingering.get(socket) ?? startLingering(socket);
  // Counted per socket so pipelined requests share the limit (in body bytes where the socket keeps no count).
  req.on("data", (chunk: Buffer) => {
    const read =
      typeof socket.bytesRead === "number" ? socket.bytesRead - state.read : state.counted + chunk.byteLength;
    lingeringBytes += read - state.counted;
    state.counted = read;
    if (read > linger.bytes || lingeringBytes > linger.totalBytes) drop(socket);
  });
  req.resume();
}

/** Arms the connection's time limit and makes its close a half-close (see {@link lingerBeforeClosing}). */
function startLingering(socket: IncomingMessage["socket"]): { read: number; counted: number } {
  const state = { read: socket.bytesRead ?? 0, counted: 0 };
  lingering.set(socket, state);
  // The bytes count against the total until the window ends, however many senders there are.
  setTimeout(() => {
    drop(socket);
    lingeringBytes -= state.counted;
  }, linger.ms).unref();
  socket.destroySoon = () => socket.end();
  return state;
}

/** Destroys the socket; an injected request's stand-in (Fastify's `inject`) may have no `destroy`. */
function drop(socket: IncomingMessage["socket"]): void {
  if (typeof socket.destroy === "function") socket.destroy();
}

/** Any other Fetch-API handler: a `Request` with a streamed body in, the `Response` written out. */
function fetchListener(handler: NotificationHandler): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    answerByFetch(handler, req)
      .then(async (response) => {
        if (res.headersSent || res.destroyed) return;
        const body = Buffer.from(await response.arrayBuffer());
        const headers: Record<string, string> = Object.fromEntries(response.headers);
        if (!req.complete) headers.connection = "close";
        res.writeHead(response.status, headers);
        res.end(body);
      })
      .catch(() => res.destroy());
  };
}

async function answerByFetch(handler: NotificationHandler, req: IncomingMessage): Promise<Response> {
  let request: Request;
  try {
    request = toRequest(req, true);
  } catch {
    // The Fetch API refuses some methods (TRACE, CONNECT...) and header values Node accepts.
    if (req.method !== "POST") return new Response(null, { status: 405, headers: { allow: "POST" } });
    return toResponse(graphError(400, "BadRequest", "The request cannot be read (malformed headers)"));
  }
  try {
    return await handler(request);
  } catch {
    return new Response(null, { status: 500 });
  }
}

/** The request as a Fetch-API `Request`; with `withBody`, its body streamed from `req`. */
function toRequest(req: IncomingMessage, withBody: boolean): Request {
  const headers = new Headers();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    headers.append(req.rawHeaders[i] as string, req.rawHeaders[i + 1] as string);
  }
  const host = req.headers.host ?? "localhost";
  const base = URL.canParse(`http://${host}`) ? `http://${host}` : "http://localhost";
  const url = URL.canParse(req.url ?? "/", base) ? new URL(req.url ?? "/", base) : new URL(base);
  const method = req.method ?? "GET";
  if (!withBody || method === "GET" || method === "HEAD") return new Request(url, { method, headers });
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
