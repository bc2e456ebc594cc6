import { describe, expect, it } from "vitest";
import { isJsonMediaType } from "../../src/core/json-media-type.ts";

describe("isJsonMediaType", () => {
  it.each([
    ["application/json", true],
    ["Application/JSON; charset=utf-8", true],
    [" application/merge-patch+json ", true],
    ["application/vnd.api+json;x=1", true],
    ["application/jsonp", false],
    ["text/json", false],
    ["application/json-seq", false],
    ["", false],
    [null, false],
  ])("%j is JSON: %s", (contentType, json) => {
    expect(isJsonMediaType(contentType)).toBe(json);
  });
});
