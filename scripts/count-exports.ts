/**
 * `npx tsx scripts/count-exports.ts [root]`: the public exports of each package entry (values and
 * types, as the TypeScript checker resolves `export *` and re-exports), to keep the surface small.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import ts from "typescript";

const root = resolve(process.argv[2] ?? ".");
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  exports: Record<string, string | { types?: string }>;
};
/** Each subpath's source entry: `./dist/src/x/index.d.ts` -> `src/x/index.ts`. */
const entries = Object.entries(manifest.exports).flatMap(([subpath, target]) => {
  const types = typeof target === "string" ? target : target.types;
  const match = types?.match(/^\.\/dist\/(src\/.+)\.d\.ts$/);
  return match ? [{ subpath, file: join(root, `${match[1]}.ts`) }] : [];
});
const program = ts.createProgram(
  entries.map((e) => e.file),
  {
    allowImportingTsExtensions: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    noEmit: true,
    skipLibCheck: true,
  },
);
const checker = program.getTypeChecker();
let total = 0;
console.log("entry                 values  types  total");
for (const { subpath, file } of entries) {
  const source = program.getSourceFile(file);
  const symbol = source && checker.getSymbolAtLocation(source);
  const exported = symbol ? checker.getExportsOfModule(symbol) : [];
  const isValue = (s: ts.Symbol) => {
    const target = s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
    return (target.flags & ts.SymbolFlags.Value) !== 0;
  };
  const values = exported.filter(isValue).length;
  total += exported.length;
  console.log(
    `${subpath.padEnd(20)}  ${String(values).padStart(6)}  ${String(exported.length - values).padStart(5)}  ${String(exported.length).padStart(5)}`,
  );
}
console.log(`${"all".padEnd(20)}  ${"".padStart(6)}  ${"".padStart(5)}  ${String(total).padStart(5)}`);
