/**
 * Issue 10's table, one derived case per rule: what Graph may send (PascalCase enums, nulls, empty
 * batches, Windows-1252) is accepted by the parser, the handler and the tracker, and normalised once;
 * garbage is still refused with a 400 naming the field.
 */
import { describe, expect, it, vi } from "vitest";
import { createCallsClient, GraphError } from "../../src/client/index.ts";
import {
  createNotificationHandler,
  createOperationTracker,
  InvalidNotificationError,
  OperationFailedError,
  type OperationNotification,
  type ParsedNotification,
  parseCommsNotifications,
} from "../../src/notifications/index.ts";
import { expectGraphError } from "../support/expect-graph-error.ts";
import { stubFetch } from "../support/fetch-stub.ts";
import {
  callId,
  operationBatch,
  operationId,
  upperCallId,
  upperOperationId,
} from "../support/notification-fixtures.ts";

/** The spec's current-shape notification with `resourceData` members replaced (undefined deletes). */
function batchWith(data: Record<string, unknown>, notification: Record<string, unknown> = {}) {
  const batch = operationBatch("completed", { callId: upperCallId, operationId: upperOperationId });
  const first = batch.value[0] as Record<string, unknown>;
  const resourceData = { ...(first.resourceData as Record<string, unknown>), ...data };
  for (const [key, value] of Object.entries(data)) if (value === undefined) delete resourceData[key];
  batch.value[0] = { ...first, resourceData, ...notification };
  return batch;
}

function only(body: unknown): OperationNotification {
  const [n] = parseCommsNotifications(body);
  if (n?.kind !== "operation") throw new Error("expected one operation notification");
  return n;
}

function receiver() {
  const received: ParsedNotification[] = [];
  const logger = { warn: vi.fn(), error: vi.fn() };
  const handle = createNotificationHandler({
    appId: "fidelity",
    auth: false,
    onNotification: (n) => {
      received.push(n);
    },
    logger,
  });
  const post = (body: BodyInit, contentType = "application/json") =>
    handle(
      new Request("http://127.0.0.1/api/calls", {
        method: "POST",
        headers: { "content-type": contentType },
        body,
      }),
    );
  return { post, received };
}

describe("row 1: PascalCase statuses, as Graph's metadata spells them", () => {
  it.each([
    ["NotStarted", "notStarted"],
    ["Running", "running"],
    ["Completed", "completed"],
    ["Failed", "failed"],
  ] as const)("%s reads %s; the raw body keeps what Graph sent", (sent, documented) => {
    const n = only(batchWith({ status: sent }));
    expect(n.status).toBe(documented);
    expect(n.operation.status).toBe(sent);
    expect((n.raw.resourceData as Record<string, unknown>).status).toBe(sent);
  });

  it("a final status in PascalCase settles tracker.wait(), whichever spelling the ids have", async () => {
    const tracker = createOperationTracker({ timeoutMs: 1_000 });
    const done = tracker.wait({ callId, operationId });
    const failed = tracker.wait({ callId, operationId: "0fe0623f-d628-42ed-b4bd-8ac290072cc6" });
    const { post } = (() => {
      const handle = createNotificationHandler({
        appId: "fidelity",
        auth: false,
        onNotification: tracker.handle,
        logger: { warn: vi.fn(), error: vi.fn() },
      });
      return {
        post: (body: unknown) =>
          handle(
            new Request("http://127.0.0.1/", {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: JSON.stringify(body),
            }),
          ),
      };
    })();
    expect((await post(batchWith({ status: "Completed" }))).status).toBe(202);
    await expect(done).resolves.toMatchObject({ status: "completed" });
    const otherOp = operationBatch("failed", { operationId: "0FE0623FD62842EDB4BD8AC290072CC6" });
    (
      (otherOp.value[0] as Record<string, Record<string, unknown>>).resourceData as Record<string, unknown>
    ).status = "Failed";
    expect((await post(otherOp)).status).toBe(202);
    await expect(failed).rejects.toBeInstanceOf(OperationFailedError);
  });
});

describe("rows 2-5: nulls Graph's metadata allows", () => {
  it("row 2: clientContext null reads as absent", () => {
    const n = only(batchWith({ clientContext: null }));
    expect(n).not.toHaveProperty("clientContext");
    expect(n.operation.clientContext).toBeNull();
  });

  it("row 3: resultInfo null reads as absent (and errorInfo null, its 2018 name)", () => {
    expect(only(batchWith({ resultInfo: null }))).not.toHaveProperty("resultInfo");
    expect(only(batchWith({ errorInfo: null }))).not.toHaveProperty("resultInfo");
  });

  it.each([
    ["null", { status: null }],
    ["absent", { status: undefined }],
  ])("row 4: status %s means not final: parsed without status, ignored by the tracker", async (_, data) => {
    const n = only(batchWith(data));
    expect(n).not.toHaveProperty("status");
    const tracker = createOperationTracker({ timeoutMs: 50 });
    await expect(tracker.handle(n)).resolves.toBe("ignored");
  });

  it("row 5: resultInfo.message null reads as absent; codes still normalised", () => {
    const n = only(
      batchWith({ status: "failed", resultInfo: { code: "400", subcode: 8508, message: null } }),
    );
    expect(n.resultInfo).toEqual({ code: 400, subcode: 8508 });
  });

  it("row 5: mainError.target null in a Graph error body still gives a GraphError with its code", async () => {
    const client = createCallsClient({
      token: "t",
      fetch: stubFetch(
        Response.json(
          { error: { code: "BadRequest", message: "Bad clientContext", target: null, details: [] } },
          { status: 400 },
        ),
      ),
    });
    const error = await client.cancelMediaProcessing(callId).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphError);
    expect(error).toMatchObject({ status: 400, code: "BadRequest" });
  });
});

describe("row 6: Content-Type charsets Graph has used", () => {
  const latin1Body = (clientContext: string) => {
    const json = JSON.stringify(batchWith({ clientContext }));
    return Uint8Array.from(json, (c) => c.charCodeAt(0)); // one byte a character (all below 256)
  };

  it.each([
    "application/json; charset=Windows-1252",
    'application/json; charset="windows-1252"',
    "application/json; charset=ISO-8859-1",
    "application/json;charset=latin1",
    "application/json; charset=us-ascii",
  ])("%s: 202, and é (byte 0xE9) decoded as é", async (contentType) => {
    const { post, received } = receiver();
    const response = await post(latin1Body("café"), contentType);
    expect(response.status).toBe(202);
    expect(received).toHaveLength(1);
    expect((received[0] as OperationNotification).clientContext).toBe("café");
  });

  it("UTF-8 declared or implied still decodes UTF-8 (é is two bytes there)", async () => {
    for (const contentType of [
      "application/json",
      "application/json; charset=UTF-8",
      "application/json;charset=utf8",
    ]) {
      const { post, received } = receiver();
      expect((await post(JSON.stringify(batchWith({ clientContext: "café" })), contentType)).status).toBe(
        202,
      );
      expect((received[0] as OperationNotification).clientContext).toBe("café");
    }
  });

  it("Windows-1252 bytes declared as UTF-8 are invalid UTF-8: 400, not a silent U+FFFD", async () => {
    const { post, received } = receiver();
    await expectGraphError(
      await post(latin1Body("café"), "application/json; charset=utf-8"),
      400,
      "BadRequest",
      /not valid UTF-8/,
    );
    expect(received).toHaveLength(0);
  });
});

describe("row 7: an empty batch", () => {
  it("parses to no notifications, gets 202 and calls nothing", async () => {
    expect(parseCommsNotifications('{"value":[]}')).toEqual([]);
    const { post, received } = receiver();
    expect((await post('{"value":[]}')).status).toBe(202);
    expect(received).toEqual([]);
  });
});

describe("row 8: PascalCase changeType (2018 beta metadata)", () => {
  it.each([
    ["Created", "created"],
    ["Updated", "updated"],
    ["Deleted", "deleted"],
  ] as const)("%s reads %s", (sent, documented) => {
    const n = only(batchWith({}, { changeType: sent }));
    expect(n.changeType).toBe(documented);
    expect(n.raw.changeType).toBe(sent);
  });
});

describe("garbage is still refused with 400 naming the field", () => {
  it.each([
    ["a value that is not an array", '{"value":{}}', /body\/value must be array/],
    [
      "an unknown status",
      JSON.stringify(batchWith({ status: "exploded" })),
      /resourceData\/status must be one of/,
    ],
    [
      "a status in a third casing",
      JSON.stringify(batchWith({ status: "COMPLETED" })),
      /resourceData\/status must be one of/,
    ],
    [
      "an unknown changeType",
      JSON.stringify(batchWith({}, { changeType: "Moved" })),
      /value\/0\/changeType must be one of/,
    ],
    ["truncated JSON", '{"value":[{"changeType":"deleted"', /not valid JSON/],
    ["a top-level array", "[]", /body must be object/],
    ["a __proto__ key", '{"value":[],"__proto__":{"x":1}}', /body\/__proto__ is a forbidden key/],
  ])("%s", async (_, body, message) => {
    expect(() => parseCommsNotifications(body)).toThrow(InvalidNotificationError);
    expect(() => parseCommsNotifications(body)).toThrow(message);
    const { post, received } = receiver();
    await expectGraphError(await post(body), 400, "BadRequest", message);
    expect(received).toHaveLength(0);
  });
});

describe("the client normalises a 200 body's status", () => {
  it.each([
    ["Completed", "completed"],
    ["running", "running"],
    [null, undefined],
    ["exploded", undefined],
  ] as const)("status %s gives %s, the body kept as received", async (sent, documented) => {
    const body = {
      "@odata.type": "#microsoft.graph.cancelMediaProcessingOperation",
      id: operationId,
      status: sent,
    };
    const client = createCallsClient({
      token: "t",
      path: "/communications/calls/{callId}/cancelMediaProcessing",
      fetch: stubFetch(
        Response.json(body, {
          status: 200,
          headers: {
            location: `https://graph.microsoft.com/beta/communications/calls/${callId}/operations/${operationId}`,
          },
        }),
      ),
    });
    const ref = await client.cancelMediaProcessing(callId);
    expect(ref.status).toBe(documented);
    expect(ref.operation).toEqual(body);
  });
});
