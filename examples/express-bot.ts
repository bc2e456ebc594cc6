/**
 * A bot on Express 5: `createNodeMiddleware` serves `POST /api/calls` and passes every other request
 * on. Mounted before `express.json()`, it reads the bytes Graph sent itself (size limit included);
 * behind `express.json()` it checks the token and validates the parsed body as it is.
 *
 * Run: `APP_ID=<your app id> PORT=3978 npx tsx examples/express-bot.ts`
 */
import { createServer } from "node:http";
import express from "express";
import { createNodeMiddleware } from "graph-comms-kit/notifications";
import { type BotOptions, createReceiver, listenBot, type RunningBot, runFromCommandLine } from "./bot.ts";

export function startExpressBot(options: BotOptions): Promise<RunningBot> {
  const { handle, tracker } = createReceiver(options);
  const app = express();
  app.use(createNodeMiddleware(handle, { path: "/api/calls" }));
  app.use(express.json()); // the bot's own JSON routes
  return listenBot(createServer(app), tracker, options.port);
}

if (process.argv[1] === import.meta.filename) await runFromCommandLine("Express", startExpressBot);
