import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalizeId } from "../../src/core/operation-id.ts";
import { parseCallId, parseOperationPath } from "../../src/core/operation-path.ts";

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

  it("gives the pattern's answer for every path, with or without a query (fast path included)", () => {
    // The definition: the ids are the segments this pattern captures, decoded, non-blank, normalised.
    const pattern = /\/calls\/([^/?#]+)\/operations\/([^/?#]+)\/?(?:[?#].*)?$/;
    const decode = (segment: string) => {
      try {
        const decoded = decodeURIComponent(segment);
        return decoded.trim() === "" ? undefined : decoded;
      } catch {
        return undefined;
      }
    };
    const byPattern = (input: string) => {
      const match = pattern.exec(input);
      const callId = match?.[1] === undefined ? undefined : decode(match[1]);
      const operationId = match?.[2] === undefined ? undefined : decode(match[2]);
      return callId === undefined || operationId === undefined
        ? undefined
        : { callId: normalizeId(callId), operationId: normalizeId(operationId) };
    };
    const piece = fc.constantFrom(
      ..."/?#aB %".split(""),
      "calls",
      "operations",
      "/calls",
      "/calls/",
      "/operations",
      "/operations/",
      "//",
      "%20",
      "%E0%A4%A",
      "57DAB8B1894C409AB240BD8BEAE78896",
      "0fe0623f-d628-42ed-b4bd-8ac290072cc5",
    );
    const pieces = (maxLength: number) => fc.array(piece, { maxLength }).map((p) => p.join(""));
    const shaped = fc
      .tuple(pieces(4), pieces(3), pieces(3), pieces(3))
      .map(([before, call, op, after]) => `${before}/calls/${call}/operations/${op}${after}`);
    let named = 0;
    fc.assert(
      fc.property(fc.oneof(shaped, pieces(14), fc.string()), (input) => {
        const expected = byPattern(input);
        if (expected) named++;
        expect(parseOperationPath(input)).toEqual(expected);
      }),
      { numRuns: 20_000 },
    );
    expect(named).toBeGreaterThan(200); // many generated paths do name an operation
  });
});

describe("parseCallId", () => {
  it.each([
    ["/communications/calls/57DAB8B1894C409AB240BD8BEAE78896/participants", expected.callId],
    [
      "https://graph.microsoft.com/v1.0/communications/calls/57dab8b1-894c-409a-b240-bd8beae78896",
      expected.callId,
    ],
    ["/app/calls/a%20b/operations/x", "a b"],
    ["/communications/calls/%20/participants", undefined],
    ["/communications/calls/%E0%A4%A", undefined],
    ["/communications/subscriptions/1", undefined],
  ])("reads %j as %j", (input, callId) => {
    expect(parseCallId(input)).toBe(callId);
  });
});
