/**
 * A bot on Fastify 5: the `fastifyNotifications` plugin serves `POST /api/calls` in a context of its
 * own, where the receiver reads the body itself (after the token check); the app's JSON parser
 * stays as it is for its other routes.
 *
 * Run: `APP_ID=<your app id> PORT=3978 npx tsx examples/fastify-bot.ts`
 */
import Fastify from "fastify";
import { fastifyNotifications } from "graph-comms-kit/notifications";
import { type BotOptions, createReceiver, type RunningBot, runFromCommandLine } from "./bot.ts";

export async function startFastifyBot(options: BotOptions): Promise<RunningBot> {
  const { handle, tracker } = createReceiver(options);
  const app = Fastify();
  await app.register(fastifyNotifications, { handler: handle, path: "/api/calls" });

  await app.listen({ port: options.port ?? 0, host: "127.0.0.1" });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return { callbackUrl: `http://127.0.0.1:${port}/api/calls`, tracker, close: () => app.close() };
}

if (process.argv[1] === import.meta.filename) await runFromCommandLine("Fastify", startFastifyBot);
