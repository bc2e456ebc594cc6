import { describe, expect, it } from "vitest";
import { specValidator } from "../../../src/core/spec-validator.ts";
import { InvalidNotificationError } from "../../../src/notifications/errors.ts";
import { parseCommsNotifications } from "../../../src/notifications/parse/parse.ts";
import {
  callId,
  operationBatch,
  operationId,
  realShape,
  realShapes,
  specNotificationExamples,
} from "../../support/notification-fixtures.ts";

describe("parseCommsNotifications: accepted shapes", () => {
  it("finds the spec's notification examples (the test below is not vacuous)", () => {
    expect(specNotificationExamples().map(([name]) => name)).toEqual(["2018-beta", "current"]);
  });

  it.each(specNotificationExamples())("parses the spec example %s, as text and as a value", (_, body) => {
    const fromValue = parseCommsNotifications(body);
    expect(parseCommsNotifications(JSON.stringify(body))).toEqual(fromValue);
    expect(fromValue).toHaveLength(1);
    expect(fromValue[0]).toMatchObject({ kind: "operation", callId, operationId, changeType: "deleted" });
  });

  it("reads UTF-8 bytes (Buffer, Uint8Array) like text, and refuses bytes that are not UTF-8", () => {
    const [[, body]] = specNotificationExamples() as [[string, unknown]];
    const text = JSON.stringify(body);
    expect(parseCommsNotifications(Buffer.from(text))).toEqual(parseCommsNotifications(text));
    expect(parseCommsNotifications(new TextEncoder().encode(text))).toEqual(parseCommsNotifications(text));
    expect(() => parseCommsNotifications(new Uint8Array([0x7b, 0xff, 0x7d]))).toThrow(/not valid UTF-8/);
  });

  it("reads the 2018 seed example: resource, normalised ids, completed", () => {
    const [n] = parseCommsNotifications(specNotificationExamples()[0]?.[1]);
    expect(n).toMatchObject({
      kind: "operation",
      resourceUrl: "/app/calls/57DAB8B1894C409AB240BD8BEAE78896/operations/0FE0623FD62842EDB4BD8AC290072CC5",
      status: "completed",
      clientContext: "d45324c1-fcb5-430a-902c-f20af696537c",
      operationType: "#microsoft.graph.commsOperation",
    });
    expect(n && "resultInfo" in n).toBe(false);
  });

  it("reads the current example: resourceUrl, failed, integer resultInfo", () => {
    const [n] = parseCommsNotifications(specNotificationExamples()[1]?.[1]);
    expect(n).toMatchObject({
      kind: "operation",
      status: "failed",
      odataType: "#microsoft.graph.commsNotification",
      operationType: "#microsoft.graph.recordOperation",
      resultInfo: { code: 400, subcode: 8508, message: "Action failed, the operation was cancelled." },
    });
    if (n?.kind !== "operation") throw new Error("expected an operation notification");
    expect(n.operation.completionReason).toBe("operationCanceled");
  });

  it.each(realShapes)("accepts %s", (_, body) => {
    const parsed = parseCommsNotifications(JSON.stringify(body));
    expect(parsed).toHaveLength(1);
    expect(parsed[0]?.callId).toBe(callId);
  });

  it("normalises 2018 errorInfo: string codes become integers, subCode becomes subcode", () => {
    const [n] = parseCommsNotifications(realShape(0));
    expect(n).toMatchObject({
      kind: "operation",
      status: "failed",
      resultInfo: { code: 500, subcode: 8510 },
    });
  });

  it("keeps non-numeric string codes as strings", () => {
    const body = operationBatch("failed", {}, { resultInfo: { code: "Gone", subcode: " 12 " } });
    const [n] = parseCommsNotifications(body);
    expect(n).toMatchObject({ resultInfo: { code: "Gone", subcode: 12 } });
  });

  it("passes other notifications on as kind resource, data untouched", () => {
    const participants = parseCommsNotifications(realShape(4))[0];
    expect(participants).toMatchObject({
      kind: "resource",
      resourceUrl: `/communications/calls/${callId}/participants`,
    });
    expect(participants?.kind === "resource" && Array.isArray(participants.resourceData)).toBe(true);
    const ended = parseCommsNotifications(realShape(6))[0];
    expect(ended).toEqual({
      kind: "resource",
      changeType: "deleted",
      callId,
      resourceUrl: `/communications/calls/${callId}`,
      raw: { changeType: "deleted", resourceUrl: `/communications/calls/${callId}` },
    });
  });

  it("keeps batch order and mixes kinds", () => {
    const body = {
      value: [...realShape(3).value, ...operationBatch("completed").value],
    };
    expect(parseCommsNotifications(body).map((n) => n.kind)).toEqual(["resource", "operation"]);
  });
});

describe("parseCommsNotifications: rejected bodies name the wrong field", () => {
  const op = `/communications/calls/${callId}/operations/${operationId}`;
  const cases: Array<[string, unknown, RegExp]> = [
    ["invalid JSON", "{", /not valid JSON/],
    ["empty text", "", /not valid JSON/],
    ["a JSON string", JSON.stringify("hello"), /^Invalid notification body: body must be object$/],
    ["null", null, /body must be object/],
    ["an array", [], /body must be object/],
    ["no value", {}, /body must have required property "value"/],
    ["value not an array", { value: {} }, /body\/value must be array/],
    ["notification not an object", { value: [5] }, /body\/value\/0 must be object/],
    [
      "no changeType",
      { value: [{ resourceUrl: op }] },
      /body\/value\/0 must have required property "changeType"/,
    ],
    [
      "unknown changeType",
      { value: [{ changeType: "moved", resourceUrl: op }] },
      /body\/value\/0\/changeType must be one of \["created","updated","deleted","Created","Updated","Deleted"\]$/,
    ],
    [
      "neither resource nor resourceUrl",
      { value: [{ changeType: "updated" }] },
      /body\/value\/0 must have "resource" or "resourceUrl"/,
    ],
    [
      "resource of the wrong type",
      { value: [{ changeType: "updated", resource: 42 }] },
      /body\/value\/0\/resource must be string/,
    ],
    [
      "empty resourceUrl",
      { value: [{ changeType: "updated", resourceUrl: "" }] },
      /resourceUrl must NOT have fewer than 1 characters/,
    ],
    [
      "resourceData a string",
      { value: [{ changeType: "updated", resourceUrl: "/communications/calls/x", resourceData: "x" }] },
      /body\/value\/0\/resourceData must be object or array/,
    ],
    [
      "operation without resourceData",
      { value: [{ changeType: "deleted", resourceUrl: op }] },
      /body\/value\/0\/resourceData must be a commsOperation object/,
    ],
    [
      "unknown status",
      operationBatch("completed", {}, { status: "done" }),
      /body\/value\/0\/resourceData\/status must be one of \["notStarted","running","completed","failed","NotStarted","Running","Completed","Failed",null\]$/,
    ],
    [
      "clientContext over 256 characters",
      operationBatch("completed", {}, { clientContext: "x".repeat(257) }),
      /body\/value\/0\/resourceData\/clientContext must NOT have more than 256 characters/,
    ],
    [
      "resultInfo code of the wrong type",
      operationBatch("failed", {}, { resultInfo: { code: true } }),
      /body\/value\/0\/resourceData\/resultInfo\/code must be integer or string$/,
    ],
    [
      "operation id that disagrees with the path",
      operationBatch("completed", {}, { id: "11111111-2222-3333-4444-555555555555" }),
      /body\/value\/0\/resourceData\/id does not match the operation id/,
    ],
    [
      "resource and resourceUrl naming different operations",
      {
        value: [
          { ...operationBatch("completed").value[0], resource: `/app/calls/${callId}/operations/other` },
        ],
      },
      /body\/value\/0\/resource and body\/value\/0\/resourceUrl name different operations/,
    ],
    [
      "a __proto__ key",
      JSON.stringify(operationBatch("completed")).replace(
        '{"changeType"',
        '{"__proto__":{"x":1},"changeType"',
      ),
      /body\/value\/0\/__proto__ is a forbidden key/,
    ],
    [
      "a __proto__ key spelled with escapes",
      '{"value":[{"\\u005f_proto__":{},"changeType":"updated","resourceUrl":"/x"}]}',
      /body\/value\/0\/__proto__ is a forbidden key/,
    ],
    [
      "a constructor.prototype key",
      {
        value: [
          { changeType: "updated", resourceUrl: "/x", resourceData: { constructor: { prototype: {} } } },
        ],
      },
      /body\/value\/0\/resourceData\/constructor is a forbidden key/,
    ],
    [
      "the second notification of a batch",
      { value: [operationBatch("completed").value[0], { changeType: "updated" }] },
      /body\/value\/1 must have "resource" or "resourceUrl"/,
    ],
  ];

  it.each(cases)("rejects %s", (_, body, message) => {
    expect(() => parseCommsNotifications(body)).toThrow(InvalidNotificationError);
    expect(() => parseCommsNotifications(body)).toThrow(message);
  });

  it("lists at most ten problems, then how many more", () => {
    const body = { value: Array.from({ length: 15 }, () => ({ changeType: "x", resourceUrl: "/x" })) };
    expect(() => parseCommsNotifications(body)).toThrow(
      /value\/9\/changeType must be one of .* \(and 5 more\)$/,
    );
  });

  it("keeps the message short when a forbidden key sits under a huge key", () => {
    const text = `{"value":[{"changeType":"updated","resourceUrl":"/x","resourceData":{"${"k".repeat(100_000)}":{"__proto__":1}}}]}`;
    const error = (() => {
      try {
        parseCommsNotifications(text);
      } catch (e) {
        return e as Error;
      }
      throw new Error("expected a rejection");
    })();
    expect(error.message).toMatch(/^Invalid notification body: body…k+\/__proto__ is a forbidden key$/);
    expect(error.message.length).toBeLessThan(300);
  });

  it("does not pollute Object.prototype when parsing hostile text", () => {
    const text = '{"value":[{"__proto__":{"polluted":1},"changeType":"updated","resourceUrl":"/x"}]}';
    expect(() => parseCommsNotifications(text)).toThrow(InvalidNotificationError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("refuses cyclic values handed in directly as nested without end, without hanging", () => {
    const data: Record<string, unknown> = {};
    data.self = data;
    expect(() =>
      parseCommsNotifications({ value: [{ changeType: "updated", resourceUrl: "/x", resourceData: data }] }),
    ).toThrow(
      /^Invalid notification body: body\/value\/0\/resourceData(\/self)+ is nested more than 32 levels deep$/,
    );
  });
});

/** The message of the InvalidNotificationError that parsing `body` throws. */
function refusal(body: unknown): string {
  try {
    parseCommsNotifications(body);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidNotificationError);
    return (error as Error).message;
  }
  throw new Error("expected a refusal");
}

/** Problems a refusal lists (they are `; `-separated; none of these contains one). */
function listedProblems(message: string): string[] {
  return message
    .replace(/^Invalid notification body: /, "")
    .replace(/ \(and \d+ more\)$/, "")
    .split("; ");
}

const batchSchema = "#/components/schemas/commsNotifications";
const notificationSchema = "#/components/schemas/commsNotification";

/**
 * How many errors the validators that list every problem gathered in their last run. ajv keeps a
 * validator's errors until its next run; the runs on valid values first make the count this test's.
 */
function gatheredErrors(run: () => void): number {
  const validators = [specValidator(batchSchema), specValidator(notificationSchema)];
  const valid = operationBatch("completed");
  expect([validators[0]?.(valid), validators[1]?.(valid.value[0])]).toEqual([true, true]);
  run();
  return validators.reduce((sum, validate) => sum + (validate.errors?.length ?? 0), 0);
}

describe("parseCommsNotifications: bounded work on hostile bodies", () => {
  const notification = operationBatch("completed").value[0];

  it("accepts 1,000 notifications and refuses 1,001 on the batch's length alone", () => {
    expect(parseCommsNotifications({ value: Array(1_000).fill(notification) })).toHaveLength(1_000);
    const errors = gatheredErrors(() =>
      expect(refusal({ value: Array(1_001).fill(notification) })).toBe(
        "Invalid notification body: body/value must NOT have more than 1000 items",
      ),
    );
    expect(errors).toBe(0);
  });

  it("refuses 349,000 empty notifications (1 MiB) on length, with the batch's own problems", () => {
    const text = `{"@odata.type":5,"value":[${Array(349_000).fill("{}").join(",")}]}`;
    expect(text.length).toBeGreaterThan(1_000_000);
    const errors = gatheredErrors(() =>
      expect(refusal(text)).toBe(
        "Invalid notification body: body/@odata.type must be string; body/value must NOT have more than 1000 items",
      ),
    );
    expect(errors).toBeLessThanOrEqual(1);
  });

  it("describes the first invalid notifications up to ten problems and counts the others", () => {
    const body = { value: Array.from({ length: 1_000 }, () => ({ resourceData: 1 })) };
    let message = "";
    const errors = gatheredErrors(() => {
      message = refusal(body);
    });
    // Three problems each: four notifications described (12 problems, 10 listed), 996 counted.
    expect(listedProblems(message)).toEqual([
      'body/value/0 must have "resource" or "resourceUrl"',
      'body/value/0 must have required property "changeType"',
      "body/value/0/resourceData must be object or array",
      'body/value/1 must have "resource" or "resourceUrl"',
      'body/value/1 must have required property "changeType"',
      "body/value/1/resourceData must be object or array",
      'body/value/2 must have "resource" or "resourceUrl"',
      'body/value/2 must have required property "changeType"',
      "body/value/2/resourceData must be object or array",
      'body/value/3 must have "resource" or "resourceUrl"',
    ]);
    expect(message).toMatch(/ \(and 998 more\)$/);
    // One notification's errors at a time, never the batch's: the batch validator gathered none.
    expect(errors).toBeLessThanOrEqual(10);
  });

  it("names the first problem of a notification too large to list every problem of", () => {
    const text = `{"value":[{"changeType":"updated","resourceUrl":"/x","resourceData":[${Array(300_000).fill("1").join(",")}]}]}`;
    let message = "";
    const errors = gatheredErrors(() => {
      message = refusal(text);
    });
    expect(message).toBe("Invalid notification body: body/value/0/resourceData must be object or array");
    expect(errors).toBe(0);
  });

  it.each([100_000, 450_000])("refuses %i levels of nesting inside resourceData, naming where", (depth) => {
    const text = `{"value":[{"changeType":"updated","resourceUrl":"/communications/calls/a","resourceData":${"[".repeat(depth)}${"]".repeat(depth)}}]}`;
    // resourceData is level 4, so the first array beyond level 32 is 29 arrays below it.
    expect(refusal(text)).toBe(
      `Invalid notification body: body/value/0/resourceData${"/0".repeat(29)} is nested more than 32 levels deep`,
    );
  });

  it("refuses deep nesting in values handed in directly, and accepts Graph's deepest shapes", () => {
    let deep: unknown = {};
    for (let level = 0; level < 100_000; level++) deep = { a: deep };
    expect(refusal({ value: [{ changeType: "updated", resourceUrl: "/x", resourceData: deep }] })).toMatch(
      /^Invalid notification body: body\/value\/0\/resourceData(\/a){29} is nested more than 32 levels deep$/,
    );
    // A roster update's participant identity (v1.0 participant-invite.md) reaches level 8.
    const participant = { info: { identity: { user: { id: "u" } } }, mediaStreams: [{ sourceId: "1" }] };
    const roster = {
      value: [{ changeType: "updated", resourceUrl: "/x/participants", resourceData: [participant] }],
    };
    expect(parseCommsNotifications(JSON.stringify(roster))).toHaveLength(1);
  });
});
