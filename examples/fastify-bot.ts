/**
 * A bot on Fastify 5. Fastify's own JSON parser would hand the route a parsed object; the recipe
 * replaces it with one that keeps the body as a Buffer (`parseAs: "buffer"`, with the size limit),
 * so the token check and the validator see the bytes Graph sent.
 *
 * Run: `APP_ID=<your app id> PORT=3978 npx tsx examples/fastify-bot.ts`
 */
import Fastify from "fastify";
import { type BotOptions, createReceiver, maxBodyBytes, type RunningBot, runFromCommandLine } from "./bot.ts";

export async function startFastifyBot(options: BotOptions): Promise<RunningBot> {
  const { handle, tracker } = createReceiver(options);
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
    const url = `http://${request.host}${request.url}`;
    const answer = await handle(new Request(url, { method: "POST", headers, body }));
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

if (process.argv[1] === import.meta.filename) await runFromCommandLine("Fastify", startFastifyBot);
