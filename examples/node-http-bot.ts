/**
 * A bot on plain `node:http`: `createNodeMiddleware` is the request listener. It answers
 * `POST /api/calls` (token check, a body over 1 MiB refused while reading, batch validation, each
 * notification to the tracker) and 404 to anything else.
 *
 * Run: `APP_ID=<your app id> PORT=3978 npx tsx examples/node-http-bot.ts`
 */
import { createServer } from "node:http";
import { createNodeMiddleware } from "graph-comms-kit/notifications";
import { type BotOptions, createReceiver, listenBot, type RunningBot, runFromCommandLine } from "./bot.ts";

export function startNodeHttpBot(options: BotOptions): Promise<RunningBot> {
  const { handle, tracker } = createReceiver(options);
  return listenBot(createServer(createNodeMiddleware(handle)), tracker, options.port);
}

if (process.argv[1] === import.meta.filename) await runFromCommandLine("node:http", startNodeHttpBot);
