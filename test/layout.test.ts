/**
 * The import rules of CONTRIBUTING's "Where things live": each folder of src/ imports only what
 * its row allows, so the tree keeps showing the architecture (and the client stays within its
 * budget by importing nothing from the other entries).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, posix, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "..");

/** The areas of src/, most specific first, with what each may import (besides npm packages and node:). */
const rules: readonly {
  area: string;
  may: readonly string[];
  /** Folders inside `may` that are still refused. */
  except?: readonly string[];
  /** Folders this area may import types from (`import type`), not code. */
  typesFrom?: readonly string[];
}[] = [
  { area: "src/core/", may: ["src/core/", "generated/"] },
  { area: "src/client/", may: ["src/client/", "src/core/", "generated/"] },
  // The receiver's rooms: receiving knows nothing of tracking; tracking only reads the parsed model.
  {
    area: "src/notifications/receive/",
    may: ["src/notifications/", "src/core/", "generated/"],
    except: ["src/notifications/track/", "src/notifications/index.ts"],
  },
  {
    area: "src/notifications/auth/",
    may: ["src/notifications/auth/", "src/notifications/errors.ts", "src/core/", "generated/"],
  },
  {
    area: "src/notifications/parse/",
    may: ["src/notifications/parse/", "src/notifications/errors.ts", "src/core/", "generated/"],
  },
  {
    area: "src/notifications/track/",
    may: [
      "src/notifications/track/",
      "src/notifications/parse/",
      "src/notifications/errors.ts",
      "src/core/",
      "generated/",
    ],
  },
  { area: "src/notifications/", may: ["src/notifications/", "src/core/", "generated/"] },
  // The testing kit (Node only): test signing keys; the mocks take them as a signer by shape, not by import.
  { area: "src/testing/", may: ["src/testing/", "src/core/", "generated/"] },
  // OpenTelemetry reporting: the other entries know only its interface (src/core/telemetry.ts).
  { area: "src/telemetry/", may: ["src/telemetry/", "src/core/"] },
  // The Redis store implements the notifications entry's store interface through its public entry.
  { area: "src/redis/", may: ["src/redis/", "src/notifications/index.ts", "src/core/", "generated/"] },
  {
    area: "src/mocks/prism/",
    may: ["src/mocks/", "src/core/", "generated/"],
    typesFrom: ["src/client/"],
  },
  // src/mocks/prism/ is Node only: the MSW mocks (which run in browsers too) must not load it.
  {
    area: "src/mocks/",
    may: ["src/mocks/", "src/core/", "generated/"],
    except: ["src/mocks/prism/"],
    typesFrom: ["src/client/"],
  },
];

/** One import of a file: the repo-relative path it resolves to, and whether it imports types only. */
interface LocalImport {
  target: string;
  typeOnly: boolean;
}

/** The relative (in-repo) imports and re-exports of a module, found with the TypeScript parser. */
function localImports(file: string, source: string): LocalImport[] {
  const found: LocalImport[] = [];
  const add = (specifier: string, typeOnly: boolean) => {
    if (!specifier.startsWith(".")) return; // an npm package or node: builtin
    found.push({ target: posix.join(posix.dirname(file), specifier), typeOnly });
  };
  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      add(node.moduleSpecifier.text, isTypeOnly(node));
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      add(node.arguments[0].text, false);
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      add(node.argument.literal.text, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile(file, source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS));
  return found;
}

/** `import type`, `export type`, or an import whose every named binding is `type`. */
function isTypeOnly(node: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  if (ts.isExportDeclaration(node)) {
    return (
      node.isTypeOnly ||
      (node.exportClause !== undefined &&
        ts.isNamedExports(node.exportClause) &&
        node.exportClause.elements.every((e) => e.isTypeOnly))
    );
  }
  const clause = node.importClause;
  if (!clause) return false; // a side-effect import
  if (clause.isTypeOnly) return true;
  const bindings = clause.namedBindings;
  return (
    clause.name === undefined &&
    bindings !== undefined &&
    ts.isNamedImports(bindings) &&
    bindings.elements.every((e) => e.isTypeOnly)
  );
}

/** The rule violations of one module of src/, as `file imports target` lines. */
function importViolations(file: string, source: string): string[] {
  const rule = rules.find((r) => file.startsWith(r.area));
  if (!rule) return [`${file} is in no area of src/ (add it to CONTRIBUTING's table and this test)`];
  return localImports(file, source)
    .filter(
      ({ target, typeOnly }) =>
        !(
          rule.may.some((allowed) => target.startsWith(allowed)) &&
          !rule.except?.some((refused) => target.startsWith(refused))
        ) && !(typeOnly && rule.typesFrom?.some((allowed) => target.startsWith(allowed))),
    )
    .map(({ target, typeOnly }) => `${file} imports ${typeOnly ? "types from " : ""}${target}`);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split("\\").join("/"));
}

describe("import rules of src/", () => {
  it("holds for every module", () => {
    const files = sourceFiles("src");
    expect(files.length).toBeGreaterThan(20);
    const violations = files.flatMap((file) =>
      importViolations(file, readFileSync(join(root, file), "utf8")),
    );
    expect(violations).toEqual([]);
  });

  it("catches an entry importing another entry, at any depth or through a re-export", () => {
    expect(importViolations("src/client/send.ts", 'import { x } from "../notifications/index.ts";')).toEqual([
      "src/client/send.ts imports src/notifications/index.ts",
    ]);
    expect(importViolations("src/core/check.ts", 'export * from "../client/errors.ts";')).toEqual([
      "src/core/check.ts imports src/client/errors.ts",
    ]);
    expect(importViolations("src/mocks/index.ts", 'const p = await import("./prism/index.ts");')).toEqual([
      "src/mocks/index.ts imports src/mocks/prism/index.ts",
    ]);
  });

  it("keeps the receiver's rooms apart: receiving never reaches tracking", () => {
    expect(
      importViolations("src/notifications/receive/handler.ts", 'import { x } from "../track/tracker.ts";'),
    ).toEqual(["src/notifications/receive/handler.ts imports src/notifications/track/tracker.ts"]);
    expect(
      importViolations("src/notifications/parse/parse.ts", 'import { x } from "../receive/handler.ts";'),
    ).toEqual(["src/notifications/parse/parse.ts imports src/notifications/receive/handler.ts"]);
    expect(
      importViolations("src/redis/store.ts", 'import { x } from "../notifications/track/tracker.ts";'),
    ).toEqual(["src/redis/store.ts imports src/notifications/track/tracker.ts"]);
    expect(
      importViolations("src/notifications/receive/handler.ts", 'import { x } from "../parse/parse.ts";'),
    ).toEqual([]);
  });

  it("lets the mocks import the client's types, but not its code", () => {
    expect(
      importViolations("src/mocks/scenarios.ts", 'import type { CallsClient } from "../client/index.ts";'),
    ).toEqual([]);
    expect(
      importViolations("src/mocks/scenarios.ts", 'import { type A, type B } from "../client/index.ts";'),
    ).toEqual([]);
    expect(
      importViolations(
        "src/mocks/prism/mock-cli.ts",
        'import { createCallsClient } from "../../client/index.ts";',
      ),
    ).toEqual(["src/mocks/prism/mock-cli.ts imports src/client/index.ts"]);
  });
});

/**
 * The rules of test/: helpers shared by two areas live in test/support/ (built on the testing kit),
 * shared data in test/fixtures/, and test/ never imports bench/ (bench/ may import test/support/).
 */
function testImportViolations(file: string, source: string): string[] {
  const area = file.split("/")[1];
  return localImports(file, source)
    .filter(({ target }) => {
      if (target.startsWith("bench/")) return true;
      const shared = target.startsWith("test/support/") || target.startsWith("test/fixtures/");
      if (!target.startsWith("test/") || shared) return false;
      return target.split("/")[1] !== area;
    })
    .map(({ target }) => `${file} imports ${target}`);
}

describe("import rules of test/", () => {
  it("holds for every test and helper", () => {
    const files = sourceFiles("test");
    expect(files.length).toBeGreaterThan(50);
    const violations = files.flatMap((file) =>
      testImportViolations(file, readFileSync(join(root, file), "utf8")),
    );
    expect(violations).toEqual([]);
  });

  it("refuses bench/ and another area's helpers, not test/support/ or the area's own", () => {
    expect(
      testImportViolations("test/package/size.test.ts", 'import { x } from "../../bench/client-size.ts";'),
    ).toEqual(["test/package/size.test.ts imports bench/client-size.ts"]);
    expect(
      testImportViolations("test/redis/store.test.ts", 'import { x } from "../notifications/fixtures.ts";'),
    ).toEqual(["test/redis/store.test.ts imports test/notifications/fixtures.ts"]);
    expect(
      testImportViolations(
        "test/redis/store.test.ts",
        'import { x } from "../support/notification-fixtures.ts";\nimport { y } from "./support/instances.ts";',
      ),
    ).toEqual([]);
  });
});

describe("the optional OpenTelemetry peer", () => {
  it("is imported by src/telemetry/ alone, so the other entries load without it", () => {
    const importers = sourceFiles("src").filter((file) =>
      /\bfrom\s+"@opentelemetry\/|import\("@opentelemetry\//.test(readFileSync(join(root, file), "utf8")),
    );
    expect(importers.length).toBeGreaterThan(0);
    expect(importers.filter((file) => !file.startsWith("src/telemetry/"))).toEqual([]);
  });
});
