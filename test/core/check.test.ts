import { describe, expect, it } from "vitest";
import { checkRecord } from "../../src/core/check.ts";
import { InvalidArgumentError } from "../../src/core/errors.ts";

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error).toBeInstanceOf(TypeError);
    return (error as Error).message;
  }
  throw new Error("expected an InvalidArgumentError");
}

describe("checkRecord: unknown keys name the nearest allowed key", () => {
  const allowed = ["token", "baseUrl", "timeoutMs", "maxBodyBytes"];

  it.each([
    ["another case", "timeoutMS", "timeoutMs"],
    ["a missing letter", "maxBodyByte", "maxBodyBytes"],
    ["swapped letters", "tokne", "token"],
    ["a typo", "baseUrI", "baseUrl"],
  ])("%s: %s → %s", (_, key, nearest) => {
    expect(messageOf(() => checkRecord("options", { [key]: 1 }, allowed))).toBe(
      `options.${key} is not allowed (did you mean "${nearest}"?); allowed: ${allowed.join(", ")}`,
    );
  });

  it("suggests nothing for a key that is nowhere near", () => {
    expect(messageOf(() => checkRecord("options", { colour: 1 }, allowed))).toBe(
      `options.colour is not allowed; allowed: ${allowed.join(", ")}`,
    );
  });

  it("keeps short keys to one edit (no wild guesses)", () => {
    expect(messageOf(() => checkRecord("options", { al: 1 }, ["all", "xyz"]))).toBe(
      'options.al is not allowed (did you mean "all"?); allowed: all, xyz',
    );
    expect(messageOf(() => checkRecord("options", { qq: 1 }, ["all"]))).toBe(
      "options.qq is not allowed; allowed: all",
    );
  });
});
