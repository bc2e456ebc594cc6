import { type SetupServer, setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseOperationPath } from "../../src/core/operation-path.ts";
import { specExampleObject } from "../../src/core/spec-document.ts";
import { describeErrors, specValidator } from "../../src/core/spec-validator.ts";
import {
  type CommsNotifications,
  createGraphHandlers,
  deliverNotifications,
  type GraphMock,
  InvalidArgumentError,
  NotificationDeliveryError,
  UnknownOperationError,
} from "../../src/mocks/index.ts";
import { specOperations } from "../../src/mocks/spec-operations.ts";
import { post, useGraphMock } from "../support/graph-server.ts";
import { type RecordingServer, startRecordingServer } from "../support/recording-server.ts";
import { callId } from "../support/seed-ids.ts";

const validateBatch = specValidator("#/components/schemas/commsNotifications");

function expectValid(batch: CommsNotifications): void {
  const ok = validateBatch(batch);
  expect(ok, describeErrors(validateBatch.errors)).toBe(true);
}

async function issue(graph: GraphMock, path: string, context: unknown = { clientContext: "ctx-9" }) {
  const op = specOperations().find((o) => o.path === path);
  if (!op) throw new Error(path);
  const body = { ...specExampleObject(op.requestExample), clientContext: undefined, ...(context as object) };
  const url = `${op.servers[0]}${path.replace("{callId}", callId).replace("{appId}", "app-1")}`;
  const response = await post(url, body);
  expect(response.ok).toBe(true);
  const issued = graph.operations.at(-1);
  if (!issued) throw new Error("no operation issued");
  return issued;
}

/** A bot's callback endpoint answering `status` (an error body from 400 on), at `bot.url`. */
async function startBot(status = 202): Promise<RecordingServer & { url: string }> {
  const server = await startRecordingServer({
    answer: (_, response) => {
      response
        .writeHead(status)
        .end(status >= 400 ? '{"error":{"code":"Unauthorized","message":"bad token"}}' : "");
    },
  });
  return Object.assign(server, { url: `${server.origin}/api/calls` });
}

/** The JSON body of the last batch `bot` received. */
function lastBody(bot: RecordingServer): unknown {
  const text = bot.received.at(-1)?.text;
  return text === undefined ? undefined : JSON.parse(text);
}

describe("buildNotification", () => {
  const graph = useGraphMock();

  it.each(
    specOperations().flatMap((op) =>
      (["running", "completed", "failed"] as const).map((status) => ({ path: op.path, status, op })),
    ),
  )("builds a valid $status batch for $path", async ({ path, status, op }) => {
    const issued = await issue(graph, path, { clientContext: "ctx-9" });
    const batch = graph.buildNotification(issued, { status });
    expectValid(batch);
    const example = specExampleObject(op.notificationExample) as unknown as CommsNotifications;
    const entry = batch.value[0];
    const exampleEntry = example.value[0];
    expect(batch.value).toHaveLength(1);
    // Same envelope keys as the spec's example: resource (seed) or resourceUrl (current).
    expect(Object.keys(entry ?? {}).sort()).toEqual(Object.keys(exampleEntry ?? {}).sort());
    const resource = String(entry?.resourceUrl ?? entry?.resource);
    expect(resource).toMatch(new RegExp(`^${op.resourcePrefix}/calls/[0-9A-F]{32}/operations/[0-9A-F]{32}$`));
    expect(parseOperationPath(resource)).toEqual({ callId, operationId: issued.operationId });
    expect(parseOperationPath(issued.location)).toEqual(parseOperationPath(resource));
    const data = entry?.resourceData as Record<string, unknown>;
    expect(data["@odata.id"]).toBe(resource);
    expect(data.status).toBe(status);
    expect(data.clientContext).toBe("ctx-9");
    expect(entry?.changeType).toBe(status === "running" ? "updated" : exampleEntry?.changeType);
    if (status === "failed") expect(data.resultInfo).toMatchObject({ code: expect.anything() });
    else expect(data).not.toHaveProperty("resultInfo");
  });

  it("uses the current operation's shape for /communications and the operation id", async () => {
    const issued = await issue(graph, "/communications/calls/{callId}/cancelMediaProcessing");
    const data = graph.buildNotification(issued, { status: "completed" }).value[0]?.resourceData;
    const operationExample = specExampleObject("currentOperation");
    expect(data).toMatchObject({ "@odata.type": operationExample["@odata.type"], id: issued.operationId });
  });

  it("takes a given resultInfo, clientContext and the Location's id spelling", async () => {
    const issued = await issue(graph, "/app/calls/{callId}/cancelMediaProcessing");
    const batch = graph.buildNotification(issued.location, {
      status: "failed",
      resultInfo: { code: 500, subcode: 1, message: "boom" },
      clientContext: "other",
      idSpelling: "location",
    });
    expectValid(batch);
    expect(batch.value[0]?.resource).toBe(`/app/calls/${callId}/operations/${issued.operationId}`);
    expect(batch.value[0]?.resourceData).toMatchObject({
      resultInfo: { code: 500, subcode: 1, message: "boom" },
      clientContext: "other",
    });
  });

  it("leaves clientContext out when the request had none", async () => {
    const issued = await issue(graph, "/communications/calls/{callId}/cancelMediaProcessing", {});
    expect(
      graph.buildNotification(issued, { status: "completed" }).value[0]?.resourceData,
    ).not.toHaveProperty("clientContext");
  });

  it("finds the operation by its id in any spelling", async () => {
    const issued = await issue(graph, "/communications/calls/{callId}/cancelMediaProcessing");
    const upper = issued.operationId.replaceAll("-", "").toUpperCase();
    expect(graph.buildNotification(upper, { status: "running" })).toEqual(
      graph.buildNotification(issued, { status: "running" }),
    );
  });

  it("refuses operations it never issued, and bad statuses", async () => {
    expect(() =>
      graph.buildNotification("0fe0623f-d628-42ed-b4bd-8ac290072cc5", { status: "completed" }),
    ).toThrow(UnknownOperationError);
    const issued = await issue(graph, "/communications/calls/{callId}/cancelMediaProcessing");
    expect(() => graph.buildNotification(issued, { status: "notStarted" as never })).toThrow(
      /content.status must be one of running, completed, failed/,
    );
    expect(() => graph.buildNotification(issued, { status: "failed", idSpelling: "upper" as never })).toThrow(
      InvalidArgumentError,
    );
    expect(() => graph.buildNotification(issued, { status: "failed", resultinfo: {} } as never)).toThrow(
      /content.resultinfo is not allowed \(did you mean "resultInfo"\?\)/,
    );
  });
});

describe("notify", () => {
  let bot: Awaited<ReturnType<typeof startBot>>;
  let rejecting: Awaited<ReturnType<typeof startBot>>;
  beforeAll(async () => {
    bot = await startBot(202);
    rejecting = await startBot(401);
  });
  afterAll(async () => {
    await bot.close();
    await rejecting.close();
  });
  // The MSW server fails unhandled requests: notify() must reach the real listener regardless.
  const graph = useGraphMock({ notificationToken: "default-token" });

  it("POSTs the batch over real HTTP with the bearer token", async () => {
    const issued = await issue(graph, "/communications/calls/{callId}/cancelMediaProcessing");
    const delivery = await graph.notify(issued, { status: "completed", to: bot.url, token: "jwt-1" });
    expect(delivery.status).toBe(202);
    const last = bot.received.at(-1);
    expect(last?.headers.authorization).toBe("Bearer jwt-1");
    expect(last?.headers["content-type"]).toBe("application/json");
    expect(lastBody(bot)).toEqual(delivery.batch);
    expectValid(lastBody(bot) as CommsNotifications);
  });

  it("sends the default token given to createGraphHandlers", async () => {
    const issued = await issue(graph, "/app/calls/{callId}/cancelMediaProcessing");
    await graph.notify(issued, { status: "running", to: bot.url });
    expect(bot.received.at(-1)?.headers.authorization).toBe("Bearer default-token");
  });

  it("delivers to an in-process function", async () => {
    const issued = await issue(graph, "/communications/calls/{callId}/cancelMediaProcessing");
    const seen: unknown[] = [];
    const delivery = await graph.notify(issued, {
      status: "failed",
      to: (batch, { headers }) => {
        seen.push(batch, headers.authorization);
        return "handled";
      },
    });
    expect(delivery.returned).toBe("handled");
    expect(seen).toEqual([delivery.batch, "Bearer default-token"]);
  });

  it("deliverNotifications: a misspelt option is an InvalidArgumentError naming the nearest key; a signer mints per delivery", async () => {
    const issued = await issue(graph, "/communications/calls/{callId}/cancelMediaProcessing");
    const batch = graph.buildNotification(issued, { status: "completed" });
    await expect(deliverNotifications(batch, { to: () => 1, tokn: "x" } as never)).rejects.toThrow(
      /options.tokn is not allowed \(did you mean "token"\?\)/,
    );
    await expect(deliverNotifications(batch, { to: () => 1, signer: {} as never })).rejects.toThrow(
      /options.signer must be an object with a mint\(\) method/,
    );
    let minted = 0;
    const signer = { mint: async () => `jwt-${++minted}` };
    const headers: (string | undefined)[] = [];
    for (let i = 0; i < 2; i++) {
      await deliverNotifications(batch, {
        to: (_, request) => headers.push(request.headers.authorization),
        signer,
      });
    }
    expect(headers).toEqual(["Bearer jwt-1", "Bearer jwt-2"]);
  });

  it("throws NotificationDeliveryError with the bot's status when it rejects the batch", async () => {
    const issued = await issue(graph, "/communications/calls/{callId}/cancelMediaProcessing");
    const attempt = graph.notify(issued, { status: "completed", to: rejecting.url });
    await expect(attempt).rejects.toBeInstanceOf(NotificationDeliveryError);
    await expect(attempt).rejects.toMatchObject({
      status: 401,
      responseBody: expect.stringContaining("bad token"),
    });
  });

  it("throws NotificationDeliveryError when the callback URL cannot be reached", async () => {
    const closed = await startBot();
    await closed.close();
    const issued = await issue(graph, "/communications/calls/{callId}/cancelMediaProcessing");
    const attempt = graph.notify(issued, { status: "completed", to: closed.url });
    await expect(attempt).rejects.toBeInstanceOf(NotificationDeliveryError);
    await expect(attempt).rejects.toMatchObject({ status: undefined, message: /could not deliver/ });
  });

  it("needs a destination and a sane token", async () => {
    const issued = await issue(graph, "/communications/calls/{callId}/cancelMediaProcessing");
    const before = bot.received.length;
    await expect(graph.notify(issued, { status: "completed" })).rejects.toThrow(/options.to is required/);
    await expect(graph.notify(issued, { status: "completed", to: bot.url, token: "a\nb" })).rejects.toThrow(
      /options.token must be a non-empty string of visible ASCII characters without spaces/,
    );
    await expect(graph.notify(issued, { status: "completed", to: bot.url, token: "a b c" })).rejects.toThrow(
      InvalidArgumentError,
    );
    await expect(graph.notify(issued, { status: "completed", to: "mailto:bot@example.com" })).rejects.toThrow(
      InvalidArgumentError,
    );
    await expect(
      graph.notify(issued, { status: "completed", to: bot.url, timeoutMS: 5 } as never),
    ).rejects.toThrow(/options.timeoutMS is not allowed \(did you mean "timeoutMs"\?\)/);
    await expect(
      graph.notify(issued, {
        status: "completed",
        to: bot.url,
        token: "t",
        signer: { mint: async () => "x" },
      }),
    ).rejects.toThrow(/options.signer cannot be combined with a token/);
    expect(bot.received).toHaveLength(before); // nothing was sent
  });
});

describe("notify with the callbackUrl given to createGraphHandlers", () => {
  let bot: Awaited<ReturnType<typeof startBot>>;
  let graph: GraphMock;
  let server: SetupServer;
  beforeAll(async () => {
    bot = await startBot(202);
    graph = createGraphHandlers({ callbackUrl: bot.url });
    server = setupServer(...graph.handlers);
    server.listen({ onUnhandledRequest: "error" });
  });
  afterAll(async () => {
    server.close();
    await bot.close();
  });

  it("delivers there, without an Authorization header when no token was given", async () => {
    const issued = await issue(graph, "/communications/calls/{callId}/cancelMediaProcessing");
    await graph.notify(issued, { status: "completed" });
    expect(bot.received).toHaveLength(1);
    expect(bot.received[0]?.headers.authorization).toBeUndefined();
    expect(
      parseOperationPath(String((lastBody(bot) as CommsNotifications | undefined)?.value[0]?.resourceUrl)),
    ).toEqual({
      callId,
      operationId: issued.operationId,
    });
  });
});

describe("the signer option (notify, the Prism launcher and the simulator)", () => {
  it("takes an object with mint() and refuses anything else, naming the option", async () => {
    const { checkSigner } = await import("../../src/mocks/notification-delivery.ts");
    const signer = { mint: async () => "t" };
    expect(checkSigner("options.notificationSigner", signer)).toBe(signer);
    expect(checkSigner("options.notificationSigner", undefined)).toBeUndefined();
    for (const bad of [null, "token", {}, { mint: "t" }]) {
      expect(() => checkSigner("options.notificationSigner", bad)).toThrow(
        /options\.notificationSigner must be an object with a mint\(\) method/,
      );
    }
  });
});
