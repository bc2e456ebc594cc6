import type { IncomingMessage, ServerResponse } from "node:http";
import { checkRecord, fail, typeOf } from "../../core/check.ts";
import { BodyTooLargeError } from "../errors.ts";
import { graphError } from "./answers.ts";
import type { Deadlines } from "./deadlines.ts";
import {
  createNotificationHandler,
  type NotificationHandler,
  type NotificationHandlerOptions,
  type NotificationReceiver,
  receiverKey,
} from "./handler.ts";
import { answerNode, NodeIncoming, toNodeListener } from "./node-adapter.ts";

/** Options of {@link createNodeMiddleware}: the handler's options and the path it serves. */
export interface NodeMiddlewareOptions extends NotificationHandlerOptions {
  /**
   * The URL path Graph POSTs to, matched exactly against the full path without its query (`req.originalUrl`).
   * @default "/api/calls"
   */
  path?: string;
}

/** A `node:http` listener and Connect-style middleware: answers its path (`true`), else calls `next()` or 404s (`false`). */
export type NodeMiddleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next?: (error?: unknown) => void,
) => boolean;

export const defaultNotificationPath = "/api/calls";

/**
 * Creates middleware for `node:http`, Express 5, Connect or Polka that receives Graph's notification POSTs at
 * one path with every check of {@link createNotificationHandler}; takes the handler's options, or a handler and `{ path }`.
 * @example
 * import express from "express";
 * import { createNodeMiddleware, createOperationTracker } from "graph-comms-kit/notifications";
 *
 * const tracker = createOperationTracker();
 * const app = express();
 * app.use(express.json()); // the app's own JSON routes; the middleware works with or without it
 * app.use(createNodeMiddleware({ appId: "<bot app id>", onNotification: tracker.handle, path: "/api/calls" }));
 * app.listen(3978);
 */
export function createNodeMiddleware(options: NodeMiddlewareOptions): NodeMiddleware;
export function createNodeMiddleware(
  handler: NotificationHandler,
  options?: { path?: string },
): NodeMiddleware;
export function createNodeMiddleware(
  first: NodeMiddlewareOptions | NotificationHandler,
  second?: { path?: string },
): NodeMiddleware {
  const { handler, path } = resolveMiddlewareOptions(first, second);
  const serve = nodeServer(handler);
  const notFound: NotificationReceiver = () => graphError(404, "NotFound", "No such resource");
  return (req, res, next) => {
    if (requestPath(req) !== path) {
      if (typeof next === "function") next();
      else answerNode(notFound, req, res);
      return false;
    }
    serve(req, res);
    return true;
  };
}

/** The handler and the path, from either form of {@link createNodeMiddleware}'s arguments. */
export function resolveMiddlewareOptions(
  first: NodeMiddlewareOptions | NotificationHandler,
  second: { path?: string } | undefined,
): { handler: NotificationHandler; path: string } {
  if (typeof first === "function") {
    const given = checkRecord("options", second ?? {}, ["path"]) as { path?: unknown };
    return { handler: first, path: checkPath("options.path", given.path) };
  }
  if (typeOf(first) !== "object")
    fail("options", `must be an options object or a handler, not ${typeOf(first)}`);
  if (second !== undefined) fail("options", "is given twice: put path in the first argument's options");
  const { path, ...handlerOptions } = first;
  return { handler: createNotificationHandler(handlerOptions), path: checkPath("options.path", path) };
}

/** Answers a request with `handler` on the Node path, taking a body a framework already read. */
export function nodeServer(
  handler: NotificationHandler,
): (req: IncomingMessage, res: ServerResponse) => void {
  const receive = handler[receiverKey];
  if (!receive) return toNodeListener(handler);
  return (req, res) => answerNode(receive, req, res, new MiddlewareIncoming(req));
}

function checkPath(argument: string, path: unknown): string {
  if (path === undefined) return defaultNotificationPath;
  if (typeof path !== "string" || !path.startsWith("/") || /[?#\s]/.test(path)) {
    fail(argument, `must be a URL path such as "/api/calls" (no query), not ${JSON.stringify(path)}`);
  }
  return path;
}

/** The request's full path without its query: `originalUrl` where a framework set it (a mount point strips `url`). */
function requestPath(req: IncomingMessage): string {
  const url = (req as { originalUrl?: unknown }).originalUrl;
  const full = typeof url === "string" ? url : (req.url ?? "/");
  const query = full.indexOf("?");
  return query === -1 ? full : full.slice(0, query);
}

/** A `node:http` request whose body a parser may have put in `req.body` (a parsed value is validated as it is). */
class MiddlewareIncoming extends NodeIncoming {
  readonly #req: IncomingMessage;

  constructor(req: IncomingMessage) {
    super(req);
    this.#req = req;
  }

  override readBody(limitBytes: number, deadlines: Deadlines | undefined): Promise<Uint8Array> {
    const parsed = (this.#req as { body?: unknown }).body;
    if (parsed === undefined || parsed instanceof Uint8Array) return super.readBody(limitBytes, deadlines);
    const bytes = Buffer.from(typeof parsed === "string" ? parsed : JSON.stringify(parsed));
    if (bytes.byteLength > limitBytes) return Promise.reject(new BodyTooLargeError(limitBytes));
    return Promise.resolve(bytes);
  }
}
