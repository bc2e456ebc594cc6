/**
 * A bot on Express 5. Express parses bodies in middleware, and a JSON parser (`express.json()`) in
 * front of the notification route would consume the body the token check and the validator need.
 * The recipe: `express.raw({ type: "application/json", limit })` on the route keeps the bytes as
 * they came, with the size limit, and the Fetch-API handler gets them as a `Request`.
 *
 * Run: `APP_ID=<your app id> PORT=3978 npx tsx examples/express-bot.ts`
 */
import { createServer } from "node:http";
import express from "express";
import {
  type BotOptions,
  createReceiver,
  listenBot,
  maxBodyBytes,
  type RunningBot,
  runFromCommandLine,
} from "./bot.ts";

export function startExpressBot(options: BotOptions): Promise<RunningBot> {
  const { handle, tracker } = createReceiver(options);
  const app = express();
  // Only this route reads raw bytes; JSON routes elsewhere in the app may keep express.json().
  app.post("/api/calls", express.raw({ type: "application/json", limit: maxBodyBytes }), async (req, res) => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === "string") headers.set(name, value);
    }
    // req.body is a Buffer for a JSON body; anything else is left unread (the handler answers 415).
    const body = Buffer.isBuffer(req.body) ? new Uint8Array(req.body) : null;
    const url = `http://${req.headers.host ?? "localhost"}${req.originalUrl}`;
    const answer = await handle(new Request(url, { method: "POST", headers, body }));
    res.status(answer.status).set(Object.fromEntries(answer.headers));
    res.send(Buffer.from(await answer.arrayBuffer()));
  });
  return listenBot(createServer(app), tracker, options.port);
}

if (process.argv[1] === import.meta.filename) await runFromCommandLine("Express", startExpressBot);
