/** The README sample checker itself: it must find every ts block and fail on a broken one. */

import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import {
  extractTsSamples,
  formatProblems,
  packageEntryPoints,
  typecheckSamples,
} from "../support/markdown-samples.ts";

const fence = "```";

describe("extractTsSamples", () => {
  it("returns the ts and typescript blocks with their Markdown line, skipping other languages", () => {
    const markdown = [
      "# Title", // 1
      `${fence}sh`, // 2
      "npm ci && npm test", // 3
      fence, // 4
      `${fence}ts`, // 5
      "const a = 1;", // 6
      fence, // 7
      "text", // 8
      `${fence}typescript title="x"`, // 9
      "const b = 2;", // 10
      "const c = 3;", // 11
      fence, // 12
      `${fence}json`, // 13
      "{}", // 14
      fence, // 15
    ].join("\n");
    expect(extractTsSamples(markdown)).toEqual([
      { number: 1, line: 6, code: "const a = 1;\n" },
      { number: 2, line: 10, code: "const b = 2;\nconst c = 3;\n" },
    ]);
  });

  it("keeps shorter fences inside a longer one and reads tilde fences", () => {
    const markdown = ["````ts", "const s = `", "```", "`;", "````", "~~~ts", "let t = 1;", "~~~"].join("\n");
    expect(extractTsSamples(markdown).map((s) => s.code)).toEqual(["const s = `\n```\n`;\n", "let t = 1;\n"]);
  });

  it("refuses an unclosed ts block", () => {
    expect(() => extractTsSamples(`intro\n${fence}ts\nconst a = 1;\n`)).toThrow(
      /opened at line 2 is never closed/,
    );
  });
});

describe("packageEntryPoints", () => {
  it("maps each export of package.json to its source file", () => {
    const entries = packageEntryPoints();
    expect(entries).toMatchObject({
      "graph-comms-kit": "src/client/index.ts",
      "graph-comms-kit/notifications": "src/notifications/index.ts",
      "graph-comms-kit/mocks": "src/mocks/index.ts",
    });
    const root = resolve(import.meta.dirname, "../..");
    expect(Object.values(entries).filter((file) => !existsSync(join(root, file)))).toEqual([]);
  });
});

// Each check builds a TypeScript program over the package sources: seconds, more on a busy machine.
describe("typecheckSamples", { timeout: 90_000 }, () => {
  it("accepts samples that use the three entry points, each sample its own module with top-level await", () => {
    const samples = extractTsSamples(
      [
        `${fence}ts`,
        'import { normalizeId } from "graph-comms-kit";',
        'const id: string = normalizeId("0FE0623FD62842EDB4BD8AC290072CC5");',
        "await Promise.resolve(id);",
        fence,
        `${fence}ts`,
        'import { parseCommsNotifications } from "graph-comms-kit/notifications";',
        'import { createGraphHandlers } from "graph-comms-kit/mocks";',
        "const id = [typeof parseCommsNotifications, typeof createGraphHandlers];",
        fence,
      ].join("\n"),
    );
    expect(formatProblems("README.md", typecheckSamples(samples))).toBe("");
  });

  it("fails a broken sample with its number, its Markdown line and the compiler's message", () => {
    const markdown = [
      "# Broken", // 1
      `${fence}ts`, // 2
      "const fine: number = 1;", // 3
      fence, // 4
      "", // 5
      `${fence}ts`, // 6
      'import { normalizeId } from "graph-comms-kit";', // 7
      'const n: number = normalizeId("x");', // 8
      fence, // 9
    ].join("\n");
    const problems = typecheckSamples(extractTsSamples(markdown));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ sample: 2, line: 8 });
    expect(formatProblems("README.md", problems)).toMatch(
      /^README\.md sample 2 \(line 8\): TS2322: Type 'string' is not assignable to type 'number'\.$/,
    );
  });

  it("fails a sample that imports something the package does not export", () => {
    const samples = extractTsSamples(
      `${fence}ts\nimport { createCallsClientt } from "graph-comms-kit";\n${fence}\n`,
    );
    const [problem] = typecheckSamples(samples);
    expect(problem?.sample).toBe(1);
    expect(problem?.message).toMatch(/TS2724|TS2305/);
    expect(problem?.message).toContain("createCallsClientt");
  });

  it("fails a sample that imports a subpath the package does not have", () => {
    const samples = extractTsSamples(`${fence}ts\nimport { x } from "graph-comms-kit/server";\n${fence}\n`);
    expect(
      typecheckSamples(samples)
        .map((p) => p.message)
        .join("\n"),
    ).toMatch(/TS2307: Cannot find module 'graph-comms-kit\/server'/);
  });
});
