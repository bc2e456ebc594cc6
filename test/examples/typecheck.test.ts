/**
 * The examples compile as a user's project compiles them (strict, the project's options), and
 * import graph-comms-kit only by its public entries: never a source file of the package.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { packageEntryPoints } from "../support/markdown-samples.ts";

const root = resolve(import.meta.dirname, "../..");
const examples = join(root, "examples");
const files = readdirSync(examples)
  .filter((name) => name.endsWith(".ts"))
  .map((name) => join(examples, name));

describe("examples/", () => {
  it("holds the four framework bots, the MSW test and the Prism script", () => {
    const names = files.map((file) => file.slice(examples.length + 1));
    expect(names).toEqual(
      expect.arrayContaining([
        "node-http-bot.ts",
        "express-bot.ts",
        "fastify-bot.ts",
        "hono-bot.ts",
        "bot.msw.test.ts",
        "prism-bot.ts",
      ]),
    );
  });

  it("imports the package by its entries only", () => {
    const entries = new Set(Object.keys(packageEntryPoints()));
    const wrong: string[] = [];
    for (const file of files) {
      const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
      for (const statement of source.statements) {
        if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
        const specifier = statement.moduleSpecifier.text;
        const local = specifier.startsWith("./") && !specifier.includes("/", 2);
        const ok = local || entries.has(specifier) || !/^(?:\.|graph-comms-kit)/.test(specifier);
        if (!ok) wrong.push(`${file.slice(root.length + 1)}: ${specifier}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("type-checks with the project's strict options", { timeout: 120_000 }, () => {
    const config = ts.readConfigFile(join(root, "tsconfig.json"), (path) => ts.sys.readFile(path));
    const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
    const program = ts.createProgram({ rootNames: files, options: { ...parsed.options, noEmit: true } });
    const problems = ts
      .getPreEmitDiagnostics(program)
      .map((d) => `${d.file?.fileName ?? ""}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
    expect(problems).toEqual([]);
  });
});
