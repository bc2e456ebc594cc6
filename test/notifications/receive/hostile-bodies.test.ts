/**
 * Property: whatever malformed or hostile body arrives (wrong types, missing fields, huge strings,
 * deep nesting, too many notifications, prototype-pollution keys, garbage text), the handler answers 400 or 413: never a
 * crash, never a 2xx, never a callback. Every generated body is invalid by construction.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createNotificationHandler } from "../../../src/notifications/receive/handler.ts";

const limit = 256 * 1024;
let callbacks = 0;
const handle = createNotificationHandler({
  appId: "property-test",
  auth: false,
  maxBodyBytes: limit,
  logger: { warn: () => {}, error: () => {} },
  onNotification: () => {
    callbacks++;
  },
});

type Json = Record<string, unknown>;

const id = fc.uuid().chain((u) => fc.constantFrom(u, u.toUpperCase().replaceAll("-", ""), `{${u}}`));
const status = fc.constantFrom("notStarted", "running", "completed", "failed");
const changeType = fc.constantFrom("created", "updated", "deleted");

/** A valid operation notification, in one of the real shapes. */
const operationNotification = fc
  .record({
    callId: id,
    operationId: id,
    status,
    changeType,
    style: fc.constantFrom("resource", "resourceUrl", "both"),
  })
  .map(({ callId, operationId, status, changeType, style }): Json => {
    const path = `/communications/calls/${callId}/operations/${operationId}`;
    return {
      changeType,
      ...(style !== "resourceUrl" ? { resource: path } : {}),
      ...(style !== "resource" ? { resourceUrl: path } : {}),
      resourceData: { "@odata.type": "#microsoft.graph.playPromptOperation", status, clientContext: "c" },
    };
  });

/** A valid notification of another kind (call state). */
const callNotification = fc.record({ callId: id, changeType }).map(
  ({ callId, changeType }): Json => ({
    changeType,
    resourceUrl: `/communications/calls/${callId}`,
    resourceData: { "@odata.type": "#microsoft.graph.call", state: "established" },
  }),
);

const notAString = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.object({ maxDepth: 1 }),
);
const notAnObject = fc.oneof(
  fc.string(),
  fc.integer(),
  // NaN and ±Infinity serialise as null, which is a valid value where Graph allows null (resultInfo).
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
);
const hugeString = fc.integer({ min: 300, max: 600_000 }).map((n) => "x".repeat(n));
/** Graph's nullable members accept null; everything else that is not a string is still refused. */
const notAStringNorNull = notAString.filter((v) => v !== null);
// Any short string is a changeType (Graph's enums grow); a string too long to be a member name is not.
const badChangeType = fc.oneof(notAString, hugeString);

/** Mutations that each make an operation notification invalid. */
const breakOperation: fc.Arbitrary<(n: Json) => Json> = fc.oneof(
  badChangeType.map((v) => (n: Json) => ({ ...n, changeType: v })),
  fc.constant((n: Json) => {
    const { changeType } = n;
    return { changeType, resourceData: n.resourceData };
  }),
  fc.constant((n: Json) => {
    const { resourceData, ...rest } = n;
    return rest;
  }),
  notAString.map((v) => (n: Json) => ({
    changeType: n.changeType,
    resource: v,
    resourceData: n.resourceData,
  })),
  fc.constant((n: Json) => ({ ...n, resourceUrl: "" })),
  fc
    .oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null))
    .map((v) => (n: Json) => ({ ...n, resourceData: v })),
  // A list of objects under an operation path is a roster (Graph's invite page prints one); a list of
  // anything else is not resource data at all.
  fc.constant((n: Json) => ({ ...n, resourceData: [n.resourceData, 5] })),
  // Any string is a status (Graph's enums grow, see the spec's "Enums that grow"); other types are not.
  notAStringNorNull.map((v) => (n: Json) => ({
    ...n,
    resourceData: { ...(n.resourceData as Json), status: v },
  })),
  fc.oneof(notAStringNorNull, hugeString).map((v) => (n: Json) => ({
    ...n,
    resourceData: { ...(n.resourceData as Json), clientContext: v },
  })),
  notAnObject
    .filter((v) => v !== null && !Array.isArray(v))
    .map((v) => (n: Json) => ({
      ...n,
      resourceData: { ...(n.resourceData as Json), resultInfo: v },
    })),
  fc.oneof(fc.boolean(), fc.constant(null), fc.object({ maxDepth: 1 })).map((v) => (n: Json) => ({
    ...n,
    resourceData: { ...(n.resourceData as Json), resultInfo: { code: v } },
  })),
);

/** A key that can pollute prototypes, placed at `depth` inside an otherwise valid body. */
function withHostileKey(body: Json, key: string, where: number): Json {
  const notifications = body.value as Json[];
  const target = [body, notifications[0] as Json, (notifications[0] as Json).resourceData as Json][
    where % 3
  ] as Json;
  Object.defineProperty(target, key, {
    value: { polluted: true },
    enumerable: true,
    configurable: true,
    writable: true,
  });
  return body;
}

const batchOf = (n: fc.Arbitrary<Json>) => fc.array(n, { minLength: 0, maxLength: 4 });

/** Every body below is invalid; the label says why. */
const hostileBody: fc.Arbitrary<[string, string]> = fc.oneof(
  fc.string({ maxLength: 200 }).map((s): [string, string] => ["garbage text", s]),
  fc.string({ unit: "binary", maxLength: 200 }).map((s): [string, string] => ["garbage unicode", s]),
  notAnObject.map((v): [string, string] => ["not an object", JSON.stringify(v)]),
  fc
    .dictionary(
      fc.string().filter((k) => k !== "value"),
      fc.jsonValue({ maxDepth: 2 }),
      { maxKeys: 4 },
    )
    .map((d): [string, string] => ["no value", JSON.stringify(d)]),
  fc
    .oneof(notAnObject, fc.object({ maxDepth: 1 }))
    .filter((v) => !Array.isArray(v))
    .map((v): [string, string] => ["value not an array", JSON.stringify({ value: v })]),
  fc.constant<[string, string]>(["top-level array", '[{"value":[]}]']),
  fc
    .tuple(
      batchOf(fc.oneof(operationNotification, callNotification)),
      operationNotification,
      breakOperation,
      fc.nat(),
    )
    .map(([valid, victim, mutate, at]): [string, string] => {
      const value = [...valid];
      value.splice(at % (valid.length + 1), 0, mutate(victim));
      return ["one broken notification", JSON.stringify({ value })];
    }),
  fc
    .tuple(batchOf(fc.oneof(operationNotification, callNotification)), notAnObject)
    .map(([valid, item]): [string, string] => [
      "a notification that is not an object",
      JSON.stringify({ value: [...valid, item] }),
    ]),
  fc
    .tuple(operationNotification, fc.constantFrom("__proto__", "constructor", "prototype"), fc.nat())
    .map(([n, key, where]): [string, string] => [
      "prototype-pollution key",
      JSON.stringify(withHostileKey({ value: [n] }, key, where)),
    ]),
  fc
    .tuple(fc.integer({ min: 100, max: 20_000 }), fc.constantFrom("value", "changeType", "resourceData"))
    .map(([depth, field]): [string, string] => {
      const deep = `${"[".repeat(depth)}${"]".repeat(depth)}`;
      const text =
        field === "value"
          ? `{"value":[${deep}]}`
          : field === "changeType"
            ? `{"value":[{"changeType":${deep},"resourceUrl":"/x"}]}`
            : `{"value":[{"changeType":"deleted","resourceUrl":"/communications/calls/a/operations/b","resourceData":${deep}}]}`;
      return ["deep nesting", text];
    }),
  fc
    .tuple(fc.integer({ min: 100, max: 20_000 }))
    .map(([depth]): [string, string] => ["deep unclosed nesting", `{"value":${'[{"a":'.repeat(depth)}`]),
  hugeString.map((s): [string, string] => ["huge string", JSON.stringify({ value: s })]),
  fc
    .integer({ min: 1_001, max: 3_000 })
    .map((count): [string, string] => [
      "more than 1,000 notifications",
      `{"value":[${Array(count).fill('{"changeType":"updated","resourceUrl":"/x"}').join(",")}]}`,
    ]),
  fc
    .tuple(callNotification, fc.integer({ min: 30, max: 200 }), fc.constantFrom("[", '{"a":'))
    .map(([notification, levels, open]): [string, string] => {
      // resourceData is level 4: 30 levels starting there reach level 33, one beyond the limit of 32.
      const close = open === "[" ? "]" : "}";
      const deep = `${open.repeat(levels)}${open === "[" ? "" : "1"}${close.repeat(levels)}`;
      const text = JSON.stringify({ value: [{ ...notification, resourceData: "DEEP" }] });
      return ["nested just beyond the limit", text.replace('"DEEP"', deep)];
    }),
);

describe("hostile and malformed bodies", () => {
  it("never crash, never get a 2xx, never reach the callback (10,000 bodies)", async () => {
    const seenStatuses = new Set<number>();
    const seenKinds = new Set<string>();
    await fc.assert(
      fc.asyncProperty(hostileBody, async ([kind, text]) => {
        seenKinds.add(kind);
        // Counted per body: under heavy load this test can outlive its timeout while the next test,
        // which does reach the callback, runs; a shared total then blamed the wrong body.
        const before = callbacks;
        const response = await handle(
          new Request("http://127.0.0.1/api/calls", {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: text,
          }),
        );
        seenStatuses.add(response.status);
        expect([400, 413]).toContain(response.status);
        const body = await response.json();
        expect(typeof body.error.message).toBe("string");
        expect(callbacks - before).toBe(0);
      }),
      { numRuns: 10_000 },
    );
    expect(seenStatuses).toEqual(new Set([400, 413]));
    expect(seenKinds.size).toBe(14); // every kind of bad body was tried
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  }, 120_000);

  it("the generator's base notifications are valid, so the mutations are what is rejected", async () => {
    await fc.assert(
      fc.asyncProperty(batchOf(fc.oneof(operationNotification, callNotification)), async (value) => {
        fc.pre(value.length > 0);
        const before = callbacks;
        const response = await handle(
          new Request("http://127.0.0.1/api/calls", {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ value }),
          }),
        );
        expect(response.status).toBe(202);
        expect(callbacks - before).toBe(value.length);
      }),
      { numRuns: 300 },
    );
  });
});
