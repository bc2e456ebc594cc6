/**
 * `npx tsx scripts/comment-density.ts [--root DIR] [folder or file…]`: comment lines per code line of each
 * source file (a line with code and a trailing comment counts as code, as cloc counts it), flagging
 * files over the 0.25 CONTRIBUTING asks of flow files. Without folders: the flow files
 * (`src/notifications/**`, `src/client/`, `src/mocks/`). Exits 0: it reports, it does not judge.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import ts from "typescript";

const target = 0.25;
const args = process.argv.slice(2);
const rootAt = args.indexOf("--root");
const root = resolve(rootAt >= 0 ? (args[rootAt + 1] ?? ".") : ".");
const given = rootAt >= 0 ? args.filter((_, i) => i !== rootAt && i !== rootAt + 1) : args;
/** A folder, and whether its subfolders count too. */
const folders = given.length
  ? given.map((arg) => ({ dir: arg.replace(/\/\*\*$|\/$/, ""), deep: arg.endsWith("**") }))
  : [
      { dir: "src/notifications", deep: true },
      { dir: "src/client", deep: false },
      { dir: "src/mocks", deep: false },
    ];

/** Comment-only and code lines of one TypeScript source. */
export function countLines(source: string): { comment: number; code: number } {
  const file = ts.createSourceFile("x.ts", source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const lineOf = (pos: number) => file.getLineAndCharacterOfPosition(pos).line;
  const comment = new Set<number>();
  const code = new Set<number>();
  const mark = (lines: Set<number>, from: number, to: number) => {
    for (let line = lineOf(from); line <= lineOf(Math.max(from, to - 1)); line++) lines.add(line);
  };
  const seen = new Set<number>();
  const comments = (ranges: ts.CommentRange[] | undefined) => {
    for (const range of ranges ?? []) {
      if (seen.has(range.pos)) continue;
      seen.add(range.pos);
      mark(comment, range.pos, range.end);
    }
  };
  // Every token is a leaf of the syntax tree (getChildren includes them); comments sit in the trivia before or after one.
  const visit = (node: ts.Node): void => {
    if (ts.isJSDoc(node)) return; // getChildren lists JSDoc blocks too; they are in the comment ranges
    comments(ts.getLeadingCommentRanges(source, node.pos));
    comments(ts.getTrailingCommentRanges(source, node.end));
    const children = node.getChildren(file);
    if (children.length === 0) {
      if (node.kind !== ts.SyntaxKind.EndOfFileToken) mark(code, node.getStart(file), node.end);
      return;
    }
    for (const child of children) visit(child);
  };
  visit(file);
  return { comment: [...comment].filter((line) => !code.has(line)).length, code: code.size };
}

function files(dir: string, deep: boolean): string[] {
  if (dir.endsWith(".ts")) return [dir];
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: deep })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts"))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split("\\").join("/"))
    .sort();
}

let comments = 0;
let codes = 0;
console.log(`${"file".padEnd(48)} comment   code  density`);
for (const { dir, deep } of folders) {
  for (const path of files(dir, deep)) {
    const { comment, code } = countLines(readFileSync(join(root, path), "utf8"));
    comments += comment;
    codes += code;
    const density = comment / Math.max(1, code);
    console.log(
      `${path.padEnd(48)} ${String(comment).padStart(7)} ${String(code).padStart(6)}  ${density.toFixed(2)}${density > target ? " *" : ""}`,
    );
  }
}
console.log(
  `${"all".padEnd(48)} ${String(comments).padStart(7)} ${String(codes).padStart(6)}  ${(comments / Math.max(1, codes)).toFixed(2)}`,
);
console.log(`* over ${target} comment lines per code line`);
