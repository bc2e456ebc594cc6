/**
 * The notification parser's fast paths must give the same answers as the thorough checks they stand
 * in for: the forbidden-key and depth walk against `findForbiddenShape`, and the validators that stop at the
 * first problem against the ones that list every problem.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { quickSpecValidator, specValidator } from "../../../src/core/spec-validator.ts";
import {
  findForbiddenShape,
  hasForbiddenShape,
  maxBodyDepth,
} from "../../../src/notifications/parse/forbidden-keys.ts";
import { parseCommsNotifications } from "../../../src/notifications/parse/parse.ts";
import {
  operationBatch,
  realShape,
  realShapes,
  specNotificationExamples,
} from "../../support/notification-fixtures.ts";

const forbiddenKeys = ["__proto__", "constructor", "prototype"] as const;

/** JSON text of `value` with `key` added to one of its objects (chosen by `at`), if it has any. */
function withKey(value: unknown, key: string, at: number): string {
  const objects: Array<Record<string, unknown>> = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (typeof node === "object" && node !== null) {
      objects.push(node as Record<string, unknown>);
      Object.values(node).forEach(visit);
    }
  };
  visit(value);
  const target = objects[at % Math.max(objects.length, 1)];
  if (target) Object.defineProperty(target, key, { value: { x: 1 }, enumerable: true });
  return JSON.stringify(value);
}

describe("hasForbiddenShape", () => {
  it("agrees with findForbiddenShape on generated JSON, with and without a forbidden key", () => {
    let found = 0;
    fc.assert(
      fc.property(
        fc.jsonValue({ maxDepth: 4 }),
        fc.option(fc.constantFrom(...forbiddenKeys), { nil: undefined }),
        fc.nat(),
        (value, key, at) => {
          const parsed: unknown = JSON.parse(
            key === undefined ? JSON.stringify(value) : withKey(value, key, at),
          );
          const expected = findForbiddenShape(parsed) !== undefined;
          if (expected) found++;
          expect(hasForbiddenShape(parsed)).toBe(expected);
        },
      ),
      { numRuns: 3_000 },
    );
    expect(found).toBeGreaterThan(100); // the property saw bodies that hold a forbidden key
  });

  it.each(forbiddenKeys)("finds %s in an object inside arrays, and spelled with \\u escapes", (key) => {
    expect(hasForbiddenShape(JSON.parse(`{"a":[1,[{"b":null,"${key}":0}]]}`))).toBe(true);
    const escaped = [...key].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("");
    expect(hasForbiddenShape(JSON.parse(`[{"${escaped}":{}}]`))).toBe(true);
  });

  it("says no for real notification bodies and for keys that only resemble forbidden ones", () => {
    for (const [, body] of [...specNotificationExamples(), ...realShapes]) {
      expect(hasForbiddenShape(JSON.parse(JSON.stringify(body)))).toBe(false);
    }
    expect(hasForbiddenShape(JSON.parse('{"proto":1,"Constructor":{"prototypes":[]},"x":"__proto__"}'))).toBe(
      false,
    );
  });

  it("refuses 20,000 levels of nesting without overflowing the stack, and finds where", () => {
    const depth = 20_000;
    const arrays = JSON.parse(`${"[".repeat(depth)}${"]".repeat(depth)}`);
    expect(hasForbiddenShape(arrays)).toBe(true);
    expect(findForbiddenShape(arrays)).toEqual({ at: "/0".repeat(maxBodyDepth), problem: "too deep" });
    const deep = JSON.parse(`${'{"a":'.repeat(depth)}{"__proto__":1}${"}".repeat(depth)}`);
    expect(hasForbiddenShape(deep)).toBe(true);
    expect(findForbiddenShape(deep)?.problem).toBe("too deep");
  });

  it("accepts exactly the limit of nesting and refuses one level more, in both walks", () => {
    const nested = (levels: number) => JSON.parse(`${'{"a":['.repeat(levels / 2)}${"]}".repeat(levels / 2)}`);
    expect(hasForbiddenShape(nested(maxBodyDepth))).toBe(false);
    expect(findForbiddenShape(nested(maxBodyDepth))).toBeUndefined();
    expect(hasForbiddenShape(nested(maxBodyDepth + 2))).toBe(true);
    const scalarsAtTheLimit = JSON.parse(`${"[".repeat(maxBodyDepth)}1,"x",null${"]".repeat(maxBodyDepth)}`);
    expect(hasForbiddenShape(scalarsAtTheLimit)).toBe(false);
    const oneMore = JSON.parse(`${"[".repeat(maxBodyDepth + 1)}${"]".repeat(maxBodyDepth + 1)}`);
    expect(hasForbiddenShape(oneMore)).toBe(true);
    expect(findForbiddenShape(oneMore)).toEqual({ at: "/0".repeat(maxBodyDepth), problem: "too deep" });
  });

  it("ends on cycles and shared parts of values handed in directly", () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(findForbiddenShape(cycle)).toEqual({ at: "/self".repeat(maxBodyDepth), problem: "too deep" });
    // 2^32 paths through 32 shared levels: each object is visited at most once per depth.
    let shared: unknown = {};
    for (let level = 0; level < maxBodyDepth - 1; level++) shared = [shared, shared];
    expect(findForbiddenShape(shared)).toBeUndefined();
    expect(findForbiddenShape([shared])).toMatchObject({ problem: "too deep" });
  });

  it("is not fooled (nor sent into a loop) when Object.prototype has been given enumerable keys", () => {
    const prototype = Object.prototype as Record<string, unknown>;
    prototype.inherited = { nested: {} };
    try {
      expect(hasForbiddenShape(JSON.parse('{"a":{"b":[{}]}}'))).toBe(false);
      expect(hasForbiddenShape(JSON.parse('{"a":{"b":[{"constructor":1}]}}'))).toBe(true);
    } finally {
      delete prototype.inherited;
    }
    expect(Object.keys(Object.prototype)).toEqual([]);
  });
});

describe("quickSpecValidator", () => {
  const schemas = ["#/components/schemas/commsNotifications", "#/components/schemas/commsOperation"];
  const validBodies: unknown[] = [
    ...specNotificationExamples().map(([, body]) => body),
    ...realShapes.map(([, body]) => body),
    operationBatch("failed"),
    realShape(4),
  ];
  const validOperations = validBodies
    .flatMap((body) =>
      (body as { value: Array<{ resourceData?: unknown }> }).value.map((n) => n.resourceData),
    )
    .filter((data) => typeof data === "object" && data !== null && !Array.isArray(data));

  /** Values near the schemas: real bodies and operations with one field replaced by anything. */
  const nearlyValid = fc
    .tuple(
      fc.constantFrom(...validBodies, ...validOperations),
      fc.constantFrom(
        "value",
        "changeType",
        "resource",
        "resourceUrl",
        "resourceData",
        "status",
        "id",
        "resultInfo",
      ),
      fc.jsonValue({ maxDepth: 2 }),
    )
    .map(([base, field, replacement]) => {
      const copy = structuredClone(base) as Record<string, unknown> & {
        value?: Array<Record<string, unknown>>;
      };
      const target = Array.isArray(copy.value) && field !== "value" ? copy.value[0] : copy;
      if (target) target[field] = replacement;
      return copy;
    });

  it.each(schemas)("answers as specValidator does for values whose strings are ASCII (%s)", (schema) => {
    const quick = quickSpecValidator(schema);
    const full = specValidator(schema);
    expect(quick).not.toBe(full);
    const outcomes = new Set<boolean>();
    fc.assert(
      fc.property(fc.oneof(nearlyValid, fc.jsonValue({ maxDepth: 3 })), (value) => {
        const valid = full(value);
        outcomes.add(valid);
        expect(quick(value)).toBe(valid);
      }),
      { numRuns: 3_000 },
    );
    expect(outcomes).toEqual(new Set([true, false]));
  });

  it("never says valid where specValidator says invalid, whatever the characters", () => {
    const quick = quickSpecValidator(schemas[1] as string);
    const full = specValidator(schemas[1] as string);
    const refusedByQuickOnly = new Set<boolean>();
    fc.assert(
      fc.property(
        fc
          .array(fc.constantFrom("a", "é", "😀", "\u{10FFFF}", "\uD800"), { maxLength: 300, size: "max" })
          .map((units) => units.join("")),
        (clientContext) => {
          const operation = { status: "completed", clientContext };
          if (quick(operation)) expect(full(operation)).toBe(true);
          else refusedByQuickOnly.add(full(operation));
        },
      ),
      { numRuns: 2_000 },
    );
    // Both kinds of "no" were seen: really invalid, and valid in code points but long in units.
    expect(refusedByQuickOnly).toEqual(new Set([true, false]));
  });
});

describe("parseCommsNotifications with strings beyond the Basic Multilingual Plane", () => {
  it("measures clientContext in code points, as the spec's JSON Schema does", () => {
    const within = operationBatch("completed", {}, { clientContext: "😀".repeat(256) });
    expect(quickSpecValidator("#/components/schemas/commsOperation")(within.value[0]?.resourceData)).toBe(
      false,
    );
    expect(parseCommsNotifications(JSON.stringify(within))[0]).toMatchObject({
      clientContext: "😀".repeat(256),
    });
    const beyond = operationBatch("completed", {}, { clientContext: "😀".repeat(257) });
    expect(() => parseCommsNotifications(JSON.stringify(beyond))).toThrow(
      /body\/value\/0\/resourceData\/clientContext must NOT have more than 256 characters/,
    );
  });
});
