/**
 * The servers `npm run bench:receiver` measures, one per child process (see receiver.ts). The
 * driver compiles this file with esbuild, without tsx's keepNames (which names every closure at
 * run time, a per-request cost no production build has), and runs it with plain node, so the
 * floor (bare node:http), Fastify and our handler (from the build, `dist/`) run as they would in
 * production.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type Kind = "bare" | "fastify" | "hono" | "node";
export interface ServerConfig {
  kind: Kind;
  /** The OpenID configuration URL, or undefined for auth off. */
  auth?: string;
  /** The bot's app id (the token audience). */
  appId: string;
  /** The built notifications entry, a file URL. */
  entry: string;
  /** The route the bench posts to. */
  path: string;
}

/** Child process: one server, its port sent to the parent; answers "rss" messages. */
async function serve(config: ServerConfig): Promise<void> {
  const server = await createServerFor(config);
  server.listen(0, "127.0.0.1", () => {
    process.send?.({ port: (server.address() as AddressInfo).port });
  });
  process.on("message", (message) => {
    if (message === "rss") {
      // Collected first, so the figure is what is held, not garbage not yet collected.
      (globalThis as { gc?: () => void }).gc?.();
      const { rss, heapUsed } = process.memoryUsage();
      process.send?.({ rss, heap: heapUsed });
    }
    if (message === "cpu") {
      const { user, system } = process.cpuUsage();
      process.send?.({ cpu: user + system });
    }
  });
  process.on("disconnect", () => process.exit(0));
}

async function createServerFor(config: ServerConfig) {
  const path = config.path;
  if (config.kind === "bare") {
    return createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        JSON.parse(Buffer.concat(chunks).toString("utf8"));
        res.writeHead(202).end();
      });
    });
  }
  if (config.kind === "fastify") {
    const { default: Fastify } = await import("fastify");
    let server: ReturnType<typeof createServer> | undefined;
    const app = Fastify({
      logger: false,
      serverFactory: (handler) => {
        server = createServer(handler);
        return server;
      },
    });
    app.post(path, async (_request, reply) => reply.code(202).send());
    await app.ready();
    return server as ReturnType<typeof createServer>;
  }
  // Our servers run the build users install (`npm run build`, which `bench:receiver` runs first).
  const { createNotificationHandler, createNotificationServer, createOperationTracker } = (await import(
    config.entry
  )) as typeof import("../src/notifications/index.ts");
  const tracker = createOperationTracker();
  const handle = createNotificationHandler({
    appId: config.appId,
    auth: config.auth === undefined ? false : { openIdConfigurationUrl: config.auth },
    onNotification: tracker.handle,
    logger: { warn: () => {}, error: (...args: unknown[]) => console.error(...args) },
  });
  if (config.kind === "node") return createNotificationServer(handle);
  const { getRequestListener } = await import("@hono/node-server");
  return createServer(getRequestListener(handle));
}

await serve(JSON.parse(process.argv[2] ?? "{}") as ServerConfig);
