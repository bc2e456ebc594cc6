/**
 * A bot on Hono, served by `@hono/node-server`. Hono speaks the Fetch API, so the route hands its
 * `Request` to the notification handler untouched: nothing to parse, nothing to adapt.
 *
 * Run: `APP_ID=<your app id> PORT=3978 npx tsx examples/hono-bot.ts`
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";
import { createNotificationHandler, createOperationTracker } from "graph-comms-kit/notifications";
import { Hono } from "hono";
import type { BotOptions, RunningBot } from "./bot.ts";

export async function startHonoBot(options: BotOptions): Promise<RunningBot> {
  const tracker = createOperationTracker();
  const handle = createNotificationHandler({
    appId: options.appId,
    auth: options.auth ?? {},
    onNotification: tracker.handle,
    ...(options.logger ? { logger: options.logger } : {}),
  });

  const app = new Hono();
  app.post("/api/calls", (c) => handle(c.req.raw));

  const server = createServer(getRequestListener(app.fetch));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject).listen(options.port ?? 0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    callbackUrl: `http://127.0.0.1:${port}/api/calls`,
    tracker,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

if (process.argv[1] === import.meta.filename) {
  const bot = await startHonoBot({ appId: process.env.APP_ID ?? "", port: Number(process.env.PORT ?? 3978) });
  console.log(`Hono bot listening: ${bot.callbackUrl}`);
}
