/**
 * A bot on Hono, served by `@hono/node-server`. Hono speaks the Fetch API, so the route hands its
 * `Request` to the notification handler untouched: nothing to parse, nothing to adapt.
 *
 * Run: `APP_ID=<your app id> PORT=3978 npx tsx examples/hono-bot.ts`
 */
import { createServer } from "node:http";
import { getRequestListener } from "@hono/node-server";
import { Hono } from "hono";
import { type BotOptions, createReceiver, listenBot, type RunningBot, runFromCommandLine } from "./bot.ts";

export function startHonoBot(options: BotOptions): Promise<RunningBot> {
  const { handle, tracker } = createReceiver(options);
  const app = new Hono();
  app.post("/api/calls", (c) => handle(c.req.raw));
  return listenBot(createServer(getRequestListener(app.fetch)), tracker, options.port);
}

if (process.argv[1] === import.meta.filename) await runFromCommandLine("Hono", startHonoBot);
