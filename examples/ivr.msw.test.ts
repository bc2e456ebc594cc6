/**
 * The IVR turn of examples/ivr.ts against the kit's mock Graph in process (MSW), the bot's receiver
 * checking tokens: the caller never answers, so the bot cancels, and the mock's call media queue
 * sends what Graph sends after a cancel: one signed notification per cancelled operation (the
 * recording as the cancelMediaProcessing pages print it: `failed`, 400 / 8508, `operationCanceled`),
 * and none for the cancel itself (its `200 completed` answer is final).
 *
 * Run: `npx vitest run examples/ivr.msw.test.ts`
 */
import { createCallsClient } from "graph-comms-kit";
import { createGraphHandlers, type GraphMock } from "graph-comms-kit/mocks";
import { createTestSigningKeys } from "graph-comms-kit/testing";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { RunningBot } from "./bot.ts";
import { askAndRecord } from "./ivr.ts";
import { startNodeHttpBot } from "./node-http-bot.ts";

const appId = "2a4a42e9-6bd0-4c86-8d3c-4b8e6d1e3a1f";
const callId = "57dab8b1-894c-409a-b240-bd8beae78896";
const baseUrl = "https://graph.microsoft.com/v1.0";
const keys = await createTestSigningKeys({ appId });
let bot: RunningBot;
let graph: GraphMock;
// The keys are served first: the bot fetches them as it starts.
const server = setupServer(...keys.handlers);

beforeAll(async () => {
  server.listen({ onUnhandledRequest: "bypass" }); // the bot itself listens on 127.0.0.1
  bot = await startNodeHttpBot({ appId, auth: { openIdConfigurationUrl: keys.openIdConfigurationUrl } });
  // The prompt and the recording run until the test ends them: the caller never answers.
  graph = createGraphHandlers({
    baseUrl,
    callbackUrl: bot.callbackUrl,
    notificationSigner: keys,
    mediaDurationMs: Number.POSITIVE_INFINITY,
  });
  server.use(...graph.handlers);
});
afterAll(async () => {
  server.close();
  await bot?.close();
});

it("plays a prompt, records, cancels on a timeout, and reports which operations were cancelled", async () => {
  const client = createCallsClient({
    token: "test-app-token",
    baseUrl,
    path: "/communications/calls/{callId}/cancelMediaProcessing",
  });
  const report = await askAndRecord(client, bot.tracker, callId, {
    promptUri: "https://cdn.contoso.com/beep.wav",
    answerTimeoutMs: 100, // the caller never answers
  });
  expect(report.map((r) => [r.action, r.outcome])).toEqual([
    ["cancelMediaProcessing", "completed"], // a final 200 answer: settled without a notification
    ["playPrompt", "cancelled"],
    ["recordResponse", "cancelled"],
  ]);
  expect(new Set(report.map((r) => r.operationId)).size).toBe(3);
  // Exactly what Graph sends: one notification per cancelled operation, none for the cancel.
  await graph.settled();
  const cancel = report[0]?.operationId;
  expect(graph.notifications.map((n) => [n.reason, n.status])).toEqual([
    ["cancelled", 202],
    ["cancelled", 202],
  ]);
  expect(JSON.stringify(graph.notifications.map((n) => n.batch))).not.toContain(cancel ?? "none");
});
