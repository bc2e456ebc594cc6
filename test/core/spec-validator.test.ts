import type { ErrorObject } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { describeErrors, describeValue, specValidator } from "../../src/core/spec-validator.ts";

const operation = "#/components/schemas/commsOperation";

/** An ajv error as the describing validator reports it (only the fields describeErrors reads). */
function error(instancePath: string, keyword: string, more: Partial<ErrorObject> = {}): ErrorObject {
  return { instancePath, keyword, schemaPath: "#", params: {}, ...more } as ErrorObject;
}

describe("describeValue", () => {
  it("lists every problem of a small value, as describeErrors does", () => {
    const value = { status: 5, clientContext: 5 };
    const validate = specValidator(operation);
    expect(validate(value)).toBe(false);
    expect(describeValue(operation, value, "op")).toEqual(describeErrors(validate.errors, "op").split("; "));
    expect(describeValue(operation, value, "op")).toHaveLength(2);
  });

  it("names only the first problem of a value over 1,000 nodes, and nothing for a valid one", () => {
    const value = { status: 5, clientContext: 5, extra: Array(1_000).fill(0) };
    expect(describeValue(operation, value, "op")).toEqual(["op/status must be string or null"]);
    expect(describeValue(operation, { status: "completed", extra: Array(5_000).fill(0) })).toEqual([]);
  });
});

describe("describeErrors", () => {
  it("sums up an anyOf whose branches hold another anyOf's run in one message", () => {
    const errors = [
      error("/a/b", "type", { params: { type: "string" } }),
      error("/a/b", "type", { params: { type: "number" } }),
      error("/a/b", "anyOf", { schema: [{ type: "string" }, { type: "number" }] }),
      error("/a", "type", { params: { type: "string" } }),
      error("/a", "anyOf", { schema: [{ type: "object" }, { type: "string" }] }),
      error("/c", "required", { params: { missingProperty: "x" } }),
    ];
    expect(describeErrors(errors)).toBe(
      'body/a must be object or string; body/c must have required property "x"',
    );
  });

  it("describes a nullable field by its own problems, also when a nested anyOf fails inside it", () => {
    const errors = [
      error("/r/code", "type", { params: { type: "integer" } }),
      error("/r/code", "type", { params: { type: "string" } }),
      error("/r/code", "anyOf", { schema: [{ type: "integer" }, { type: "string" }] }),
      error("/r", "type", { params: { type: "null" } }),
      error("/r", "anyOf", { schema: [{ type: "object" }, { type: "null" }] }),
    ];
    expect(describeErrors(errors)).toBe("body/r/code must be integer or string");
  });
});
