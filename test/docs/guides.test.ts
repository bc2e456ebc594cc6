/**
 * The guides of the API reference (guides/*.md, the reference's index and documents) and the mocks'
 * README cannot rot: their TypeScript samples compile against the package as README's do, every
 * guide is in the reference and linked from its overview, and every module of the reference has
 * its description.
 */
import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import {
  extractTsSamples,
  formatProblems,
  packageEntryPoints,
  typecheckSamples,
} from "../support/markdown-samples.ts";

const run = promisify(execFile);
const root = resolve(import.meta.dirname, "../..");
const typedocConfig = JSON.parse(readFileSync(join(root, "typedoc.json"), "utf8")) as {
  readme: string;
  projectDocuments: string[];
};
const guides = readdirSync(join(root, "guides"))
  .filter((name) => name.endsWith(".md"))
  .map((name) => `guides/${name}`);
const overview = readFileSync(join(root, "guides/overview.md"), "utf8");

describe.each([...guides, "src/mocks/README.md"])("%s", (file) => {
  it("has ts samples that compile against the package", { timeout: 90_000 }, () => {
    const samples = extractTsSamples(readFileSync(join(root, file), "utf8"));
    if (file !== typedocConfig.readme) expect(samples.length).toBeGreaterThan(0);
    expect(formatProblems(file, typecheckSamples(samples))).toBe("");
  });
});

describe("the API reference's guides", () => {
  it("open on the overview, which links every other guide the reference includes", () => {
    expect(typedocConfig.readme).toBe("guides/overview.md");
    expect([...typedocConfig.projectDocuments].sort()).toEqual(
      guides.filter((g) => g !== typedocConfig.readme).sort(),
    );
    const linked = [...overview.matchAll(/\]\(\.\/([\w-]+\.md)\)/g)].map((match) => `guides/${match[1]}`);
    expect(linked.sort()).toEqual([...typedocConfig.projectDocuments].sort());
  });

  it("list every entry of the package in the overview", () => {
    const missing = Object.keys(packageEntryPoints()).filter(
      (entry) => !entry.endsWith(".json") && !overview.includes(`| {@link "${entry}" ${entry}} |`),
    );
    expect(missing).toEqual([]);
  });
});

describe("the API reference (typedoc.json)", () => {
  it("gives every module its description and holds the guides as documents", {
    timeout: 180_000,
  }, async () => {
    const dir = await mkdtemp(join(tmpdir(), "gck-typedoc-"));
    try {
      const json = join(dir, "api.json");
      await run(join(root, "node_modules/.bin/typedoc"), ["--json", json], {
        cwd: root,
      });
      const project = JSON.parse(await readFile(json, "utf8")) as {
        readme?: { text?: string }[];
        documents?: { name: string }[];
        children: { name: string; comment?: { summary: { text: string }[] } }[];
      };
      const described = project.children.map((module) => [
        module.name,
        (module.comment?.summary ?? [])
          .map((part) => part.text)
          .join("")
          .startsWith(`\`${module.name}\``) ||
          (module.comment?.summary ?? [])
            .map((part) => part.text)
            .join("")
            .startsWith(module.name),
      ]);
      expect(described).toEqual(
        Object.keys(packageEntryPoints())
          .filter((e) => !e.endsWith(".json"))
          .sort()
          .map((e) => [e, true]),
      );
      expect(project.documents?.map((document) => document.name)).toEqual([
        "Receiving notifications",
        "Testing with token checks on",
        "Running several instances",
        "The cancel flow",
      ]);
      expect((project.readme ?? []).map((part) => part.text ?? "").join("")).toMatch(/## Guides/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
