import { describe, expect, it } from "vitest";
import { exampleNameOf, specExample } from "../../src/core/spec-document.ts";

describe("exampleNameOf", () => {
  it("names the example a $ref points at", () => {
    expect(exampleNameOf({ $ref: "#/components/examples/currentRequest" })).toBe("currentRequest");
    expect(specExample(exampleNameOf({ $ref: "#/components/examples/currentRequest" }))).toEqual(
      specExample("currentRequest"),
    );
  });

  it("reads a name that JSON pointers escape (/ as ~1, ~ as ~0)", () => {
    const document = { components: { examples: { "a/b~c": { value: 1 }, a: { value: 2 } } } };
    expect(exampleNameOf({ $ref: "#/components/examples/a~1b~0c" }, document)).toBe("a/b~c");
  });

  it.each([
    [{ $ref: "#/components/schemas/odataError" }],
    [{ $ref: "#/components/examples/noSuchExample" }],
    [{ value: 1 }],
    [undefined],
  ])("refuses %j, which names no example", (node) => {
    expect(() => exampleNameOf(node)).toThrow(/expected a \$ref to components.examples/);
  });
});
