/**
 * Type-checks the TypeScript samples of a Markdown file against this package, the way a user's
 * project would compile them: the package's public entry points (`graph-comms-kit`,
 * `graph-comms-kit/notifications`, `graph-comms-kit/mocks`, as package.json exports them) are
 * resolved by name to their sources.
 */
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import ts from "typescript";

const root = resolve(import.meta.dirname, "../..");

/**
 * The package's public entry points, by import specifier, as source files relative to the project
 * root: read from the `exports` map of package.json (`./dist/src/client/index.d.ts` → `src/client/index.ts`), so
 * a sample can import exactly what a user of the published package can.
 *
 * @example
 * packageEntryPoints()["graph-comms-kit/notifications"]; // "src/notifications/index.ts"
 */
export function packageEntryPoints(): Record<string, string> {
  const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
    name: string;
    exports?: Record<string, string | { types?: string; default?: string }>;
  };
  if (!manifest.exports) throw new Error("package.json has no exports map: nothing to import samples from");
  const entries: Record<string, string> = {};
  for (const [subpath, target] of Object.entries(manifest.exports)) {
    if (subpath === "./package.json") continue;
    const file = typeof target === "string" ? target : (target.types ?? target.default);
    if (!file) throw new Error(`package.json exports["${subpath}"] names no file`);
    const source = file.replace(/^\.\//, "").replace(/^dist\/(.*?)\.(?:d\.ts|js)$/, "$1.ts");
    entries[subpath === "." ? manifest.name : `${manifest.name}${subpath.slice(1)}`] = source;
  }
  return entries;
}

/** A fenced ```ts block of a Markdown file. */
export interface CodeSample {
  /** 1-based position among the file's TypeScript blocks. */
  number: number;
  /** 1-based line of the Markdown file where the code (after the opening fence) starts. */
  line: number;
  code: string;
}

/** One compiler error in a sample, located in the Markdown file. */
export interface SampleProblem {
  sample: number;
  /** 1-based line in the Markdown file. */
  line: number;
  message: string;
}

/**
 * The ```ts / ```typescript blocks of a Markdown text, in order.
 *
 * @example
 * extractTsSamples("# x\n```ts\nconst a = 1;\n```\n"); // [{ number: 1, line: 3, code: "const a = 1;\n" }]
 */
export function extractTsSamples(markdown: string): CodeSample[] {
  const lines = markdown.split(/\r?\n/);
  const samples: CodeSample[] = [];
  let open: { fence: string; start: number; body: string[]; typescript: boolean } | undefined;
  lines.forEach((text, index) => {
    if (!open) {
      const opening = /^ {0,3}(`{3,}|~{3,})\s*([^\s`]*)/.exec(text);
      if (opening?.[1]) {
        const language = (opening[2] ?? "").toLowerCase();
        open = {
          fence: opening[1],
          start: index + 2,
          body: [],
          typescript: ["ts", "typescript"].includes(language),
        };
      }
      return;
    }
    const closing = new RegExp(`^ {0,3}${open.fence[0]}{${open.fence.length},}\\s*$`);
    if (closing.test(text)) {
      if (open.typescript) {
        samples.push({ number: samples.length + 1, line: open.start, code: `${open.body.join("\n")}\n` });
      }
      open = undefined;
      return;
    }
    open.body.push(text);
  });
  if (open?.typescript)
    throw new Error(`the \`\`\`ts block opened at line ${open.start - 1} is never closed`);
  return samples;
}

function compilerOptions(): ts.CompilerOptions {
  const configPath = join(root, "tsconfig.json");
  const read = ts.readConfigFile(configPath, (path) => ts.sys.readFile(path));
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, "\n"));
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, dirname(configPath));
  const paths: Record<string, string[]> = {};
  for (const [specifier, file] of Object.entries(packageEntryPoints())) paths[specifier] = [join(root, file)];
  return { ...parsed.options, paths, noEmit: true };
}

/**
 * Compiles every sample as its own ES module (top-level `await` allowed) with the project's
 * compiler options, and returns each error located in the Markdown file. No errors: `[]`.
 *
 * @example
 * const problems = typecheckSamples(extractTsSamples(readFileSync("README.md", "utf8")));
 * for (const p of problems) console.log(`README block ${p.sample} (line ${p.line}): ${p.message}`);
 */
export function typecheckSamples(samples: readonly CodeSample[]): SampleProblem[] {
  if (samples.length === 0) return [];
  const options = compilerOptions();
  // Virtual files inside the project, so `"type": "module"` in package.json makes them ES modules.
  const files = new Map(samples.map((sample) => [join(root, `.readme-sample-${sample.number}.ts`), sample]));
  const host = ts.createCompilerHost(options, true);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (file) => files.has(file) || fileExists.call(host, file);
  host.readFile = (file) => {
    const sample = files.get(file);
    return sample ? withModuleMarker(sample.code) : readFile.call(host, file);
  };
  host.getSourceFile = (file, languageVersion, onError, shouldCreate) => {
    const sample = files.get(file);
    if (sample) return ts.createSourceFile(file, withModuleMarker(sample.code), languageVersion, true);
    return getSourceFile.call(host, file, languageVersion, onError, shouldCreate);
  };
  const program = ts.createProgram({ rootNames: [...files.keys()], options, host });
  const problems: SampleProblem[] = [];
  for (const [file, sample] of files) {
    const source = program.getSourceFile(file);
    if (!source) throw new Error(`the compiler did not load README sample ${sample.number}`);
    for (const diagnostic of ts.getPreEmitDiagnostics(program, source)) {
      const at =
        diagnostic.file === source && diagnostic.start !== undefined
          ? source.getLineAndCharacterOfPosition(diagnostic.start).line
          : 0;
      const where = diagnostic.file && diagnostic.file !== source ? ` (in ${diagnostic.file.fileName})` : "";
      problems.push({
        sample: sample.number,
        line: sample.line + at,
        message: `TS${diagnostic.code}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")}${where}`,
      });
    }
  }
  return problems;
}

/** Samples without import/export would be scripts; a trailing `export {}` makes each one a module. */
function withModuleMarker(code: string): string {
  return `${code}\nexport {};\n`;
}

/** One line per problem: `README.md sample 2 (line 48): TS2339: …`. */
export function formatProblems(file: string, problems: readonly SampleProblem[]): string {
  return problems.map((p) => `${file} sample ${p.sample} (line ${p.line}): ${p.message}`).join("\n");
}
