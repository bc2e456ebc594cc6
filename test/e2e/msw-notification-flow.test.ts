/**
 * The whole flow a bot lives through, in process: the typed client calls the MSW mock of Graph,
 * the mock delivers a signed commsNotifications batch over real HTTP to the bot's notification
 * handler, and the operation tracker learns how the operation ended. Also: the README's MSW
 * sample, run as written (token checks on, keys from graph-comms-kit/testing).
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type CallsPath, createCallsClient, GraphError } from "../../src/client/index.ts";
import { createGraphHandlers, UnknownOperationError } from "../../src/mocks/index.ts";
import {
  createNotificationHandler,
  createOperationTracker,
  OperationFailedError,
  OperationTimeoutError,
  type OperationTracker,
} from "../../src/notifications/index.ts";
import {
  createTestSigningKeys,
  type RunningKeyServer,
  serveTestSigningKeys,
  type TestSigningKeys,
} from "../../src/testing/index.ts";
import { type RunningServer, serveHandler } from "../support/http-server.ts";
import { extractTsSamples, packageEntryPoints } from "../support/markdown-samples.ts";
import { appId, callId } from "../support/seed-ids.ts";

const baseUrl = "https://graph.microsoft.com/beta";
const paths: CallsPath[] = [
  "/app/calls/{callId}/cancelMediaProcessing",
  "/applications/{appId}/calls/{callId}/cancelMediaProcessing",
  "/communications/calls/{callId}/cancelMediaProcessing",
];

let keys: RunningKeyServer;
let signing: TestSigningKeys;
let bot: RunningServer;
let tracker: OperationTracker;
const graph = createGraphHandlers({ baseUrl });
const mswServer = setupServer(...graph.handlers);
const rejectedByBot: string[] = [];
const handled: { operationId: string; result: string }[] = [];

beforeAll(async () => {
  signing = await createTestSigningKeys({ appId });
  keys = await serveTestSigningKeys(signing);
  mswServer.listen({ onUnhandledRequest: "bypass" });
  tracker = createOperationTracker({ timeoutMs: 5_000 });
  const handle = createNotificationHandler({
    appId,
    auth: { openIdConfigurationUrl: keys.openIdConfigurationUrl },
    onNotification: async (notification) => {
      const result = await tracker.handle(notification);
      if (notification.kind === "operation") handled.push({ operationId: notification.operationId, result });
    },
    logger: {
      warn: (message: string) => rejectedByBot.push(message),
      error: (m: string) => rejectedByBot.push(m),
    },
  });
  bot = await serveHandler(handle);
});

afterEach(() => {
  graph.reset();
});

afterAll(async () => {
  mswServer.close();
  await bot.close();
  await keys.close();
});

function clientFor(path: CallsPath) {
  return path.startsWith("/applications/")
    ? createCallsClient({
        baseUrl,
        token: "app-token",
        path: "/applications/{appId}/calls/{callId}/cancelMediaProcessing",
        appId,
      })
    : createCallsClient({
        baseUrl,
        token: "app-token",
        path: path as "/app/calls/{callId}/cancelMediaProcessing",
      });
}

describe("client → MSW mock → notify → notification handler → tracker", () => {
  it.each(paths)("%s: the tracker resolves with the completed operation", async (path) => {
    const op = await clientFor(path).cancelMediaProcessing(callId, { clientContext: "ctx-e2e" });
    expect(op.callId).toBe(callId);
    const done = tracker.wait(op);

    const delivery = await graph.notify(op.location, {
      status: "completed",
      to: bot.url,
      token: await signing.mint(),
    });
    expect(delivery.status).toBe(202);

    const outcome = await done;
    expect(outcome).toMatchObject({
      kind: "operation",
      callId,
      operationId: op.operationId,
      status: "completed",
      clientContext: "ctx-e2e",
    });
    expect(graph.requests.map((r) => r.headers.authorization)).toEqual(["Bearer app-token"]);
  });

  it("a failed operation rejects with OperationFailedError carrying resultInfo", async () => {
    const op = await clientFor(paths[0] as CallsPath).cancelMediaProcessing(callId, { all: true });
    const settled = tracker.wait(op).then(
      () => undefined,
      (e: unknown) => e,
    );
    await graph.notify(op, {
      status: "failed",
      resultInfo: { code: 400, subcode: 8508, message: "Action failed, the operation was cancelled." },
      to: bot.url,
      token: await signing.mint(),
    });
    const error = await settled;
    expect(error).toBeInstanceOf(OperationFailedError);
    expect((error as OperationFailedError).resultInfo).toMatchObject({ code: 400, subcode: 8508 });
    expect((error as OperationFailedError).operationId).toBe(op.operationId);
  });

  it("a notification that beats wait() is kept and delivered, and a repeat is delivered once", async () => {
    const op = await clientFor(paths[2] as CallsPath).cancelMediaProcessing(callId, {});
    const token = await signing.mint();
    await graph.notify(op, { status: "completed", to: bot.url, token });
    await graph.notify(op, { status: "completed", to: bot.url, token });
    await expect(tracker.wait(op)).resolves.toMatchObject({
      status: "completed",
      operationId: op.operationId,
    });
    expect(handled.filter((h) => h.operationId === op.operationId).map((h) => h.result)).toEqual([
      "stored",
      "duplicate",
    ]);
  });

  it("an unsigned notification is refused with 401 and never reaches the tracker", async () => {
    const op = await clientFor(paths[0] as CallsPath).cancelMediaProcessing(callId, {});
    const settled = tracker.wait(op, { timeoutMs: 300 }).catch((e: unknown) => e);
    await expect(graph.notify(op, { status: "completed", to: bot.url })).rejects.toThrow(/401/);
    expect(await settled).toBeInstanceOf(OperationTimeoutError);
  });

  it("throttling is retried by the client and the flow still completes", async () => {
    graph.scenario("throttled", { times: 2, retryAfter: "0.01" });
    const op = await clientFor(paths[0] as CallsPath).cancelMediaProcessing(callId, {});
    expect(graph.requests.map((r) => r.status)).toEqual([429, 429, 200]);
    const done = tracker.wait(op);
    await graph.notify(op, { status: "completed", to: bot.url, token: await signing.mint() });
    await expect(done).resolves.toMatchObject({ status: "completed" });
  });

  it("notify() takes the client's OperationRef, and refuses one whose call id does not match", async () => {
    const op = await clientFor(paths[0] as CallsPath).cancelMediaProcessing(callId, {});
    expect(graph.buildNotification(op, { status: "running" }).value[0]?.resource).toContain(
      op.operationId.replaceAll("-", "").toUpperCase(),
    );
    expect(() =>
      graph.buildNotification(
        { callId: "11111111-2222-3333-4444-555555555555", operationId: op.operationId },
        { status: "running" },
      ),
    ).toThrow(UnknownOperationError);
  });

  it("an unknown call is a GraphError 404, with Graph's error code", async () => {
    graph.scenario("notFound");
    const error = await clientFor(paths[0] as CallsPath)
      .cancelMediaProcessing(callId, {})
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphError);
    expect(error).toMatchObject({ status: 404, code: "NotFound" });
  });
});

describe("the README's MSW sample", () => {
  const root = resolve(import.meta.dirname, "../..");

  it("runs as written: a receiver with token checks on accepts the mock's signed notification", {
    timeout: 60_000,
  }, async () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const sample = extractTsSamples(readme).find(
      (s) => s.code.includes('from "graph-comms-kit/testing"') && s.code.includes("setupServer"),
    );
    expect(sample, "README has an MSW sample using the testing kit").toBeDefined();
    // The package's entries by name, resolved to their sources as a user's install would resolve them.
    let code = sample?.code ?? "";
    for (const [specifier, file] of Object.entries(packageEntryPoints())) {
      code = code.replaceAll(`from "${specifier}"`, `from ${JSON.stringify(join(root, file))}`);
    }
    // Inside node_modules so that msw and the other packages resolve from the sample as from a project.
    await mkdir(join(root, "node_modules/.cache"), { recursive: true });
    const dir = await mkdtemp(join(root, "node_modules/.cache/readme-msw-sample-"));
    try {
      const file = join(dir, "sample.mts");
      await writeFile(file, code);
      const { stdout } = await promisify(execFile)(join(root, "node_modules/.bin/tsx"), [file], {
        cwd: root,
        timeout: 45_000,
      });
      expect(stdout.trim().split("\n")).toEqual(["[ 429, 200 ]", "202", "completed"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
