/**
 * README.md cannot rot: its TypeScript samples compile against the package, the npm scripts and
 * files it names exist, and it keeps the sections a newcomer needs.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { extractTsSamples, formatProblems, typecheckSamples } from "../support/markdown-samples.ts";

const root = resolve(import.meta.dirname, "../..");
const readme = readFileSync(join(root, "README.md"), "utf8");
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  scripts: Record<string, string>;
  repository: { url: string };
};
const scripts = manifest.scripts;
/** `https://github.com/owner/name`, from package.json's `git+https://….git` repository URL. */
const repository = manifest.repository.url.replace(/^git\+/, "").replace(/\.git$/, "");

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
        "Compatibility",
      ]),
    );
  });

  it("names only npm scripts that exist", () => {
    const named = new Set<string>();
    for (const match of readme.matchAll(/\bnpm (?:run(?: -s)? )?([\w:-]+)/g)) {
      const name = match[1] ?? "";
      if (!["ci", "install", "pack", "publish", "run"].includes(name)) named.add(name);
    }
    expect([...named].sort()).toEqual(expect.arrayContaining(["docs", "generate", "start", "test"]));
    expect([...named].filter((name) => scripts[name] === undefined)).toEqual([]);
  });

  it("links to files through the repository (it is read on the npm page too), files that exist", () => {
    const links = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1] ?? "");
    const files = links
      .filter((target) => target.startsWith(`${repository}/blob/main/`))
      .map((target) => target.slice(`${repository}/blob/main/`.length).split("#")[0] ?? "");
    expect(files.length).toBeGreaterThan(0);
    expect(files.filter((file) => !existsSync(join(root, file)))).toEqual([]);
    const relative = links.filter((target) => !/^[a-z]+:/i.test(target) && !target.startsWith("#"));
    expect(relative, "relative links, which break on the npm page").toEqual([]);
  });

  it("links within itself only to headings it has", () => {
    const slugs = [...readme.matchAll(/^#+ (.+)$/gm)].map((match) =>
      (match[1] ?? "")
        .toLowerCase()
        .replace(/[^\w\s-]/g, "")
        .replace(/\s/g, "-"),
    );
    const anchors = [...readme.matchAll(/\]\(#([^)]+)\)/g)].map((match) => match[1]);
    expect(anchors.length).toBeGreaterThan(0);
    expect(anchors.filter((anchor) => !slugs.includes(anchor ?? ""))).toEqual([]);
  });
});
