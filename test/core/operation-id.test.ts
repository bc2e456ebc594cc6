import { describe, expect, it } from "vitest";
import { isGuid, normalizeId } from "../../src/core/operation-id.ts";

describe("normalizeId", () => {
  const canonical = "0fe0623f-d628-42ed-b4bd-8ac290072cc5";

  it.each([
    ["lowercase dashed (Location)", "0fe0623f-d628-42ed-b4bd-8ac290072cc5"],
    ["uppercase 32-hex (2018 notification)", "0FE0623FD62842EDB4BD8AC290072CC5"],
    ["uppercase dashed", "0FE0623F-D628-42ED-B4BD-8AC290072CC5"],
    ["lowercase 32-hex", "0fe0623fd62842edb4bd8ac290072cc5"],
    ["in braces", "{0FE0623F-D628-42ED-B4BD-8AC290072CC5}"],
    ["with surrounding space", "  0fe0623f-d628-42ed-b4bd-8ac290072cc5 "],
  ])("gives the canonical GUID for %s", (_, spelling) => {
    expect(normalizeId(spelling)).toBe(canonical);
  });

  it("keeps ids that are not GUIDs, so distinct ids never collide", () => {
    expect(normalizeId("421f0b00-0000")).toBe("421f0b00-0000");
    expect(normalizeId("Abc")).not.toBe(normalizeId("abc"));
    expect(normalizeId("0FE0623FD62842EDB4BD8AC290072CC")).toBe("0FE0623FD62842EDB4BD8AC290072CC");
  });
});

describe("isGuid", () => {
  it.each([
    ["0fe0623f-d628-42ed-b4bd-8ac290072cc5", true],
    ["0FE0623FD62842EDB4BD8AC290072CC5", true],
    ["{0FE0623F-D628-42ED-B4BD-8AC290072CC5}", true],
    ["op-1", false],
    ["0fe0623f-d628-42ed-b4bd-8ac290072cc", false],
    ["", false],
  ])("%j: %s", (id, guid) => {
    expect(isGuid(id)).toBe(guid);
  });
});
