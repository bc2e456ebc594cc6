import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = resolve(import.meta.dirname, "../..");

describe("redocly lint", () => {
  it("uses recommended-strict", async () => {
    expect(await readFile(join(root, "redocly.yaml"), "utf8")).toMatch(
      /extends:\s*\n\s*- recommended-strict/,
    );
  });

  it("reports 0 errors and 0 warnings on the spec", async () => {
    const { stdout } = await run(
      join(root, "node_modules/.bin/redocly"),
      ["lint", "--config", "redocly.yaml", "--format", "json"],
      { cwd: root },
    ).catch((error: { stdout: string }) => ({ stdout: error.stdout }));
    const report = JSON.parse(stdout.slice(stdout.indexOf("{"))) as {
      totals: { errors: number; warnings: number };
    };
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  });
});
