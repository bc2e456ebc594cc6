/**
 * README.md cannot rot: its TypeScript samples compile against the package, the npm scripts and
 * files it names exist, and it keeps the sections a newcomer needs.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { extractTsSamples, formatProblems, typecheckSamples } from "./markdown-samples.ts";

const root = resolve(import.meta.dirname, "../..");
const readme = readFileSync(join(root, "README.md"), "utf8");
const scripts = (
  JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }
).scripts;

describe("README.md", () => {
  it("every ts sample compiles against the package (graph-comms-kit, /notifications, /mocks)", {
    timeout: 120_000,
  }, () => {
    const samples = extractTsSamples(readme);
    expect(samples.length).toBeGreaterThanOrEqual(4);
    const imports = samples.map((sample) => sample.code).join("\n");
    for (const entry of ['"graph-comms-kit"', '"graph-comms-kit/notifications"', '"graph-comms-kit/mocks"']) {
      expect(imports, `a sample imports ${entry}`).toContain(`from ${entry}`);
    }
    expect(formatProblems("README.md", typecheckSamples(samples))).toBe("");
  });

  it("starts with the two quick-start commands", () => {
    const quickStart = readme.slice(readme.indexOf("## Quick start"));
    expect(quickStart).toMatch(/^npm ci && npm start\b/m);
    expect(quickStart).toMatch(/^npm ci && npm test\b/m);
  });

  it("has one section per use", () => {
    const headings = [...readme.matchAll(/^## (.+)$/gm)].map((match) => match[1]);
    expect(headings).toEqual(
      expect.arrayContaining([
        "Quick start",
        "Regenerate after a spec change",
        "Use the typed client",
        "Receive and verify notifications",
        "Use the MSW handlers in your own tests",
        "Run the Prism mock for a bot",
        "Read the docs",
      ]),
    );
  });

  it("names only npm scripts that exist", () => {
    const named = new Set<string>();
    for (const match of readme.matchAll(/\bnpm (?:run(?: -s)? )?([\w:-]+)/g)) {
      const name = match[1] ?? "";
      if (!["ci", "install", "pack", "run"].includes(name)) named.add(name);
    }
    expect([...named].sort()).toEqual(expect.arrayContaining(["docs", "generate", "start", "test"]));
    expect([...named].filter((name) => scripts[name] === undefined)).toEqual([]);
  });

  it("links only to files that exist", () => {
    const links = [...readme.matchAll(/\]\(([^)#]+)\)/g)]
      .map((match) => match[1] ?? "")
      .filter((target) => !/^[a-z]+:/i.test(target))
      // docs/ is what `npm run docs` builds (git-ignored): test/docs/docs-page.test.ts checks those links in a build.
      .filter((target) => !target.startsWith("docs/"));
    expect(links.length).toBeGreaterThan(0);
    expect(links.filter((target) => !existsSync(join(root, target)))).toEqual([]);
  });
});
