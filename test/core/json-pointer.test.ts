import { describe, expect, it } from "vitest";
import { escapePointerKey, followRefs, readPointer } from "../../src/core/json-pointer.ts";

const document = {
  paths: { "/app/calls/{callId}": { post: { tags: ["calls", "media"] } } },
  "a~b": { "c%d": 1 },
  empty: null,
};

describe("readPointer", () => {
  it("reads objects, escaped keys and array items", () => {
    expect(readPointer(document, `#/paths/${escapePointerKey("/app/calls/{callId}")}/post/tags/1`)).toBe(
      "media",
    );
    expect(readPointer(document, "#/a~0b/c%25d")).toBe(1);
    expect(readPointer(document, "#")).toBe(document);
  });

  it("returns undefined where nothing is, including inherited properties and bad escapes", () => {
    expect(readPointer(document, "#/paths/missing")).toBeUndefined();
    expect(readPointer(document, "#/empty/x")).toBeUndefined();
    expect(readPointer(document, "#/__proto__")).toBeUndefined();
    expect(readPointer(document, "#/paths/toString")).toBeUndefined();
    expect(readPointer(document, "#/a~0b/%E0%A4%A")).toBeUndefined();
  });

  it("refuses pointers that are not local", () => {
    expect(() => readPointer(document, "other.json#/x")).toThrow(/only local JSON pointers/);
    expect(() => readPointer(document, "paths")).toThrow(/only local JSON pointers/);
  });
});

describe("escapePointerKey", () => {
  it("escapes ~ before /, so escaping round-trips", () => {
    expect(escapePointerKey("~/")).toBe("~0~1");
    expect(readPointer({ "~/": 2 }, `#/${escapePointerKey("~/")}`)).toBe(2);
  });
});

describe("followRefs", () => {
  const spec = {
    a: { $ref: "#/b" },
    b: { $ref: "#/c" },
    c: { value: 1 },
    loop: { $ref: "#/loop" },
    broken: { $ref: "#/missing" },
  };

  it("follows a chain to the first node that is not a reference", () => {
    expect(followRefs(spec, { $ref: "#/a" })).toEqual({ value: 1 });
    expect(followRefs(spec, spec.c)).toBe(spec.c);
  });

  it("names a reference that points nowhere, and stops a cycle", () => {
    expect(() => followRefs(spec, spec.broken)).toThrow("$ref #/missing points nowhere");
    expect(() => followRefs(spec, spec.loop)).toThrow(/cycle/);
  });
});
