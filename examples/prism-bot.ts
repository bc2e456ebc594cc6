/**
 * A bot against the Prism mock of Graph, out of process and over real HTTP: Prism answers the
 * bot's cancelMediaProcessing on the 2018 `/applications/...` path with `202` and then POSTs the
 * spec's notification to the bot's callback URL; the bot's tracker learns how the operation
 * ended. Prints the outcome; exits 1 if it never comes. (On `/communications/...` Graph answers
 * `200` with a `completed` operation: final, and no notification follows it.)
 *
 * Prism's callbacks carry no token, so this bot runs with `auth: false`: only ever against a
 * local mock. A bot that Graph calls keeps the default (token checks on).
 *
 * Run: `npx tsx examples/prism-bot.ts`
 */
import { createCallsClient } from "graph-comms-kit";
import { startPrism } from "graph-comms-kit/mocks/prism";
import { startNodeHttpBot } from "./node-http-bot.ts";

const callId = "57dab8b1-894c-409a-b240-bd8beae78896";
const quiet = { warn: () => {}, error: (message: string) => console.error(message) };

const bot = await startNodeHttpBot({ appId: "prism-example-bot", auth: false, logger: quiet });
const prism = await startPrism({ port: 0, callbackUrl: bot.callbackUrl });
try {
  const client = createCallsClient({
    baseUrl: prism.url,
    token: "any-token",
    path: "/applications/{appId}/calls/{callId}/cancelMediaProcessing",
    appId: "prism-example-bot",
  });
  const operation = await client.cancelMediaProcessing(callId, { all: true, clientContext: "prism-example" });
  console.log(`Prism answered ${operation.httpStatus}: operation ${operation.operationId}`);
  const outcome = await bot.tracker.wait(operation, { timeoutMs: 20_000 });
  // The 2018 202 answer is not final: the wait settles from Prism's notification.
  console.log(
    `operation ${outcome.operationId} ${outcome.status} (from the ${outcome.kind === "answer" ? "answer" : "notification"})`,
  );
} catch (error) {
  console.error(`prism-bot: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await prism.stop();
  await bot.close();
}
