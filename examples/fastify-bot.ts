/**
 * A bot on Fastify 5. Fastify's own JSON parser would hand the route a parsed object; the recipe
 * replaces it with one that keeps the body as a Buffer (`parseAs: "buffer"`, with the size limit),
 * so the token check and the validator see the bytes Graph sent.
 *
 * Run: `APP_ID=<your app id> PORT=3978 npx tsx examples/fastify-bot.ts`
 */
import Fastify from "fastify";
import { createNotificationHandler, createOperationTracker } from "graph-comms-kit/notifications";
import { type BotOptions, maxBodyBytes, type RunningBot } from "./bot.ts";

export async function startFastifyBot(options: BotOptions): Promise<RunningBot> {
  const tracker = createOperationTracker();
  const handle = createNotificationHandler({
    appId: options.appId,
    auth: options.auth ?? {},
    maxBodyBytes,
    onNotification: tracker.handle,
    ...(options.logger ? { logger: options.logger } : {}),
  });

  const app = Fastify({ bodyLimit: maxBodyBytes });
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "buffer" }, (_request, body, done) =>
    done(null, body),
  );
  app.post("/api/calls", async (request, reply) => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) {
      if (typeof value === "string") headers.set(name, value);
    }
    const body = Buffer.isBuffer(request.body) ? new Uint8Array(request.body) : null;
    const answer = await handle(
      new Request(`http://${request.host}${request.url}`, { method: "POST", headers, body }),
    );
    return reply
      .code(answer.status)
      .headers(Object.fromEntries(answer.headers))
      .send(Buffer.from(await answer.arrayBuffer()));
  });

  await app.listen({ port: options.port ?? 0, host: "127.0.0.1" });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return { callbackUrl: `http://127.0.0.1:${port}/api/calls`, tracker, close: () => app.close() };
}

if (process.argv[1] === import.meta.filename) {
  const bot = await startFastifyBot({
    appId: process.env.APP_ID ?? "",
    port: Number(process.env.PORT ?? 3978),
  });
  console.log(`Fastify bot listening: ${bot.callbackUrl}`);
}
