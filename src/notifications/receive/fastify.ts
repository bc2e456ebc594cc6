import type { IncomingMessage, ServerResponse } from "node:http";
import type { NotificationHandler } from "./handler.ts";
import { type NodeMiddlewareOptions, nodeServer, resolveMiddlewareOptions } from "./middleware.ts";

/** The part of a Fastify instance the plugin uses (typed `object` in the plugin so any Fastify version fits). */
interface FastifyInstanceLike {
  register(
    plugin: (instance: FastifyInstanceLike, options: object, done: (error?: Error) => void) => void,
  ): unknown;
  removeAllContentTypeParsers(): void;
  addContentTypeParser(
    contentType: string,
    parser: (request: unknown, payload: unknown, done: (error: Error | null, body?: unknown) => void) => void,
  ): void;
  route(route: {
    method: string[];
    url: string;
    handler(request: { raw: IncomingMessage }, reply: { raw: ServerResponse; hijack(): void }): void;
  }): unknown;
}

/** Options of {@link fastifyNotifications}: those of `createNodeMiddleware`, or a handler and its `path`. */
export type FastifyNotificationsOptions =
  | NodeMiddlewareOptions
  | { handler: NotificationHandler; path?: string };

/** Options Fastify's `register` itself reads, which reach the plugin too. */
const registerOptions = new Set(["prefix", "logLevel", "logSerializers"]);

/** Methods routed to the receiver: it answers POST and refuses the others with 405. */
const methods = ["DELETE", "GET", "HEAD", "PATCH", "POST", "PUT"];

function plugin(instance: object, options: FastifyNotificationsOptions, done: (error?: Error) => void): void {
  const fastify = instance as FastifyInstanceLike;
  let serve: (req: IncomingMessage, res: ServerResponse) => void;
  let path: string;
  try {
    const own = Object.fromEntries(Object.entries(options).filter(([key]) => !registerOptions.has(key)));
    const { handler, ...rest } = own;
    const resolved =
      handler === undefined
        ? resolveMiddlewareOptions(own as NodeMiddlewareOptions, undefined)
        : resolveMiddlewareOptions(handler as NotificationHandler, rest);
    serve = nodeServer(resolved.handler);
    path = resolved.path;
  } catch (error) {
    done(error as Error);
    return;
  }
  // A child context whose parsers leave the body unread, so the token is checked first and the app's parsers stay.
  fastify.register((child, _options, childDone) => {
    child.removeAllContentTypeParsers();
    child.addContentTypeParser("*", (_request, _payload, parsed) => parsed(null));
    child.route({
      method: methods,
      url: path,
      handler(request, reply) {
        reply.hijack();
        serve(request.raw, reply.raw);
      },
    });
    childDone();
  });
  done();
}

/**
 * A Fastify plugin that receives Graph's notification POSTs at `path` (default `/api/calls`) with every check.
 * @example
 * import Fastify from "fastify";
 * import { createOperationTracker, fastifyNotifications } from "graph-comms-kit/notifications";
 * const tracker = createOperationTracker();
 * const app = Fastify();
 * await app.register(fastifyNotifications, { appId: "<bot app id>", onNotification: tracker.handle, path: "/api/calls" });
 * await app.listen({ port: 3978 });
 */
export const fastifyNotifications = Object.assign(plugin, {
  [Symbol.for("skip-override")]: true,
  [Symbol.for("fastify.display-name")]: "graph-comms-kit-notifications",
  [Symbol.for("plugin-meta")]: { name: "graph-comms-kit-notifications", fastify: ">=4" },
});
