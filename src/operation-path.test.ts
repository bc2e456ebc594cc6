import { describe, expect, it } from "vitest";
import { parseOperationPath } from "./operation-path.ts";

const expected = {
  callId: "57dab8b1-894c-409a-b240-bd8beae78896",
  operationId: "0fe0623f-d628-42ed-b4bd-8ac290072cc5",
};

describe("parseOperationPath", () => {
  it.each([
    "https://graph.microsoft.com/beta/app/calls/57dab8b1-894c-409a-b240-bd8beae78896/operations/0fe0623f-d628-42ed-b4bd-8ac290072cc5",
    "/app/calls/57DAB8B1894C409AB240BD8BEAE78896/operations/0FE0623FD62842EDB4BD8AC290072CC5",
    "/communications/calls/57DAB8B1894C409AB240BD8BEAE78896/operations/0FE0623FD62842EDB4BD8AC290072CC5",
    "https://graph.microsoft.com/v1.0/communications/calls/57dab8b1-894c-409a-b240-bd8beae78896/operations/0fe0623f-d628-42ed-b4bd-8ac290072cc5?x=1",
  ])("reads the same operation from %s", (input) => {
    expect(parseOperationPath(input)).toEqual(expected);
  });

  it.each([
    "/communications/calls/57dab8b1-894c-409a-b240-bd8beae78896",
    "/communications/calls/57dab8b1/participants/abc",
    "/calls//operations/x",
    "/calls/%E0%A4%A/operations/x",
    "",
  ])("returns undefined for %j, which names no operation", (input) => {
    expect(parseOperationPath(input)).toBeUndefined();
  });

  it("decodes percent-encoded ids", () => {
    expect(parseOperationPath("/app/calls/a%20b/operations/op-1")).toEqual({
      callId: "a b",
      operationId: "op-1",
    });
  });
});
