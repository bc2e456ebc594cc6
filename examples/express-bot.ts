/**
 * A bot on Express 5. Express parses bodies in middleware, and a JSON parser (`express.json()`) in
 * front of the notification route would consume the body the token check and the validator need.
 * The recipe: `express.raw({ type: "application/json", limit })` on the route keeps the bytes as
 * they came, with the size limit, and the Fetch-API handler gets them as a `Request`.
 *
 * Run: `APP_ID=<your app id> PORT=3978 npx tsx examples/express-bot.ts`
 */
import type { AddressInfo } from "node:net";
import express from "express";
import { createNotificationHandler, createOperationTracker } from "graph-comms-kit/notifications";
import { type BotOptions, maxBodyBytes, type RunningBot } from "./bot.ts";

export async function startExpressBot(options: BotOptions): Promise<RunningBot> {
  const tracker = createOperationTracker();
  const handle = createNotificationHandler({
    appId: options.appId,
    auth: options.auth ?? {},
    maxBodyBytes,
    onNotification: tracker.handle,
    ...(options.logger ? { logger: options.logger } : {}),
  });

  const app = express();
  // Only this route reads raw bytes; JSON routes elsewhere in the app may keep express.json().
  app.post("/api/calls", express.raw({ type: "application/json", limit: maxBodyBytes }), async (req, res) => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === "string") headers.set(name, value);
    }
    // req.body is a Buffer for a JSON body; anything else is left unread (the handler answers 415).
    const body = Buffer.isBuffer(req.body) ? new Uint8Array(req.body) : null;
    const answer = await handle(
      new Request(`http://${req.headers.host ?? "localhost"}${req.originalUrl}`, {
        method: "POST",
        headers,
        body,
      }),
    );
    res.status(answer.status).set(Object.fromEntries(answer.headers));
    res.send(Buffer.from(await answer.arrayBuffer()));
  });

  const server = app.listen(options.port ?? 0, "127.0.0.1");
  await new Promise<void>((resolve, reject) => server.once("listening", resolve).once("error", reject));
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
  const bot = await startExpressBot({
    appId: process.env.APP_ID ?? "",
    port: Number(process.env.PORT ?? 3978),
  });
  console.log(`Express bot listening: ${bot.callbackUrl}`);
}
