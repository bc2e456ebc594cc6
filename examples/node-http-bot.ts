/**
 * A bot on plain `node:http`: `toNodeListener` streams each request into the notification handler,
 * which checks the token, refuses a body over 1 MiB while reading it, validates the batch, and hands
 * each notification to the tracker.
 *
 * Run: `APP_ID=<your app id> PORT=3978 npx tsx examples/node-http-bot.ts`
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import {
  createNotificationHandler,
  createOperationTracker,
  toNodeListener,
} from "graph-comms-kit/notifications";
import type { BotOptions, RunningBot } from "./bot.ts";

export async function startNodeHttpBot(options: BotOptions): Promise<RunningBot> {
  const tracker = createOperationTracker();
  const handle = createNotificationHandler({
    appId: options.appId,
    auth: options.auth ?? {},
    onNotification: tracker.handle,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const notifications = toNodeListener(handle);
  const server = createServer((req, res) => {
    if (req.url === "/api/calls") return notifications(req, res);
    res.writeHead(404).end();
  });
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
  const bot = await startNodeHttpBot({
    appId: process.env.APP_ID ?? "",
    port: Number(process.env.PORT ?? 3978),
  });
  console.log(`node:http bot listening: ${bot.callbackUrl}`);
}
