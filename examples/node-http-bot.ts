/**
 * A bot on plain `node:http`: `toNodeListener` streams each request into the notification handler,
 * which checks the token, refuses a body over 1 MiB while reading it, validates the batch, and hands
 * each notification to the tracker.
 *
 * Run: `APP_ID=<your app id> PORT=3978 npx tsx examples/node-http-bot.ts`
 */
import { createServer } from "node:http";
import { toNodeListener } from "graph-comms-kit/notifications";
import { type BotOptions, createReceiver, listenBot, type RunningBot, runFromCommandLine } from "./bot.ts";

export function startNodeHttpBot(options: BotOptions): Promise<RunningBot> {
  const { handle, tracker } = createReceiver(options);
  const notifications = toNodeListener(handle);
  const server = createServer((req, res) => {
    if (req.url === "/api/calls") return notifications(req, res);
    res.writeHead(404).end();
  });
  return listenBot(server, tracker, options.port);
}

if (process.argv[1] === import.meta.filename) await runFromCommandLine("node:http", startNodeHttpBot);
