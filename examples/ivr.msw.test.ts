/**
 * The IVR turn of examples/ivr.ts against a mock Graph in process (MSW), the bot's receiver checking
 * tokens: the caller never answers, so the bot cancels, and Graph's notifications say the prompt and
 * the recording were cancelled.
 *
 * graph-comms-kit/mocks serves cancelMediaProcessing; it does not serve playPrompt and recordResponse
 * yet, so this test answers them itself with openapi-msw, from the spec's types. The notifications are
 * shaped as Microsoft prints them: the cancelled recording as the cancelMediaProcessing pages show it
 * (`failed`, 400 / 8508, `operationCanceled`); the cancelled prompt with beta playPromptOperation's
 * `mediaOperationCanceled` (no page prints a cancelled prompt).
 *
 * Run: `npx vitest run examples/ivr.msw.test.ts`
 */
import { randomUUID } from "node:crypto";
import { createCallsClient, type paths } from "graph-comms-kit";
import { createGraphHandlers } from "graph-comms-kit/mocks";
import { createTestSigningKeys } from "graph-comms-kit/testing";
import { setupServer } from "msw/node";
import { createOpenApiHttp } from "openapi-msw";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { RunningBot } from "./bot.ts";
import { askAndRecord } from "./ivr.ts";
import { startNodeHttpBot } from "./node-http-bot.ts";

const appId = "2a4a42e9-6bd0-4c86-8d3c-4b8e6d1e3a1f";
const callId = "57dab8b1-894c-409a-b240-bd8beae78896";
const baseUrl = "https://graph.microsoft.com/v1.0";
const keys = await createTestSigningKeys({ appId });
const graph = createGraphHandlers({ baseUrl });
const api = createOpenApiHttp<paths>({ baseUrl });
/** The media operations this Graph started, by id, with their @odata.type. */
const started = new Map<string, string>();

/** Answers a media action as Graph does: 200, Location, the operation `running`. */
function startOperation(type: string, request: Request) {
  const id = randomUUID();
  started.set(id, type);
  const location = `${new URL(request.url).href.replace(/\/[^/]+$/, "")}/operations/${id}`;
  return { location, body: { "@odata.type": type, id, status: "running" as const } };
}

const server = setupServer(
  ...graph.handlers,
  ...keys.handlers,
  api.post("/communications/calls/{callId}/playPrompt", ({ request, response }) => {
    const { location, body } = startOperation("#microsoft.graph.playPromptOperation", request);
    return response(200).json(body, { headers: { Location: location } });
  }),
  api.post("/communications/calls/{callId}/recordResponse", ({ request, response }) => {
    const { location, body } = startOperation("#microsoft.graph.recordOperation", request);
    return response(200).json(
      { ...body, resultInfo: null, recordingLocation: null },
      { headers: { Location: location } },
    );
  }),
);
let bot: RunningBot;

beforeAll(async () => {
  server.listen({ onUnhandledRequest: "bypass" }); // the bot itself listens on 127.0.0.1
  bot = await startNodeHttpBot({ appId, auth: { openIdConfigurationUrl: keys.openIdConfigurationUrl } });
});
afterAll(async () => {
  await bot?.close();
  server.close();
});

/** What Graph sends after the cancel: one notification per cancelled media operation, signed. */
async function graphReportsCancelled(): Promise<number> {
  const value = [...started].map(([id, type]) => ({
    "@odata.type": "#microsoft.graph.commsNotification",
    changeType: "deleted",
    resourceUrl: `/communications/calls/${callId}/operations/${id}`,
    resourceData:
      type === "#microsoft.graph.recordOperation"
        ? {
            "@odata.type": type,
            id,
            status: "failed",
            resultInfo: { code: 400, subcode: 8508, message: "Action failed, the operation was cancelled." },
            recordingLocation: "",
            recordingAccessToken: "",
            completionReason: "operationCanceled",
          }
        : { "@odata.type": type, id, status: "completed", completionReason: "mediaOperationCanceled" },
  }));
  const response = await fetch(bot.callbackUrl, {
    method: "POST",
    headers: { Authorization: `Bearer ${await keys.mint()}`, "Content-Type": "application/json" },
    body: JSON.stringify({ "@odata.type": "#microsoft.graph.commsNotifications", value }),
  });
  return response.status;
}

it("plays a prompt, records, cancels on a timeout, and reports which operations were cancelled", async () => {
  const client = createCallsClient({
    token: "test-app-token",
    baseUrl,
    path: "/communications/calls/{callId}/cancelMediaProcessing",
  });
  const turn = askAndRecord(client, bot.tracker, callId, {
    promptUri: "https://cdn.contoso.com/beep.wav",
    answerTimeoutMs: 100, // the caller never answers
  });
  // Graph's notifications come once the cancel has been asked for.
  await expect.poll(() => graph.requests.length).toBe(1);
  expect(await graphReportsCancelled()).toBe(202);

  const report = await turn;
  expect(report.map((r) => [r.action, r.outcome])).toEqual([
    ["cancelMediaProcessing", "completed"], // a final 200 answer: settled without a notification
    ["playPrompt", "cancelled"],
    ["recordResponse", "cancelled"],
  ]);
  expect(new Set(report.map((r) => r.operationId)).size).toBe(3);
});
