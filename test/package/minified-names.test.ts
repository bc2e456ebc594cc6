/**
 * Every error class an entry exports keeps its `name` when a user's bundler minifies the entry:
 * minifiers rename classes (esbuild turned `new.target.name` of a TimeoutError into "g"), so each
 * class must spell its name as a literal.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");
const run = promisify(execFile);

/** Each public entry's source and the platform a user would bundle it for. */
const entries = [
  { subpath: ".", source: "src/client/index.ts", platform: "browser" },
  { subpath: "./notifications", source: "src/notifications/index.ts", platform: "node" },
  { subpath: "./redis", source: "src/redis/index.ts", platform: "node" },
  { subpath: "./mocks", source: "src/mocks/index.ts", platform: "node" },
  { subpath: "./mocks/prism", source: "src/mocks/prism/index.ts", platform: "node" },
] as const;

/**
 * Run in a child Node on a bundle: constructs every exported subclass of Error and prints
 * `{ exportName: error.name }`. Constructors get one stand-in argument that is any shape they ask
 * for (callable, every property is itself, a string when converted), so no class needs a table.
 */
const probe = `
const bundle = await import(process.argv[1]);
const anything = new Proxy(function () {}, {
  get: (target, key) =>
    key === Symbol.toPrimitive ? () => "x" : key === "then" ? undefined : key === Symbol.iterator ? [][Symbol.iterator].bind([]) : anything,
  apply: () => anything,
});
const names = {};
for (const [exported, value] of Object.entries(bundle)) {
  if (typeof value === "function" && value.prototype instanceof Error) {
    names[exported] = new value(anything, anything, anything).name;
  }
}
console.log(JSON.stringify(names));
`;

let work = "";

beforeAll(async () => {
  // Inside node_modules so that the bundles' external imports (msw, jose...) resolve as a user's would.
  await mkdir(join(root, "node_modules/.cache"), { recursive: true });
  work = await mkdtemp(join(root, "node_modules/.cache/minified-names-"));
});

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe("an esbuild --minify bundle of each entry", { timeout: 60_000 }, () => {
  it.each(entries)("$subpath keeps every exported error's name", async ({ source, platform }) => {
    const outfile = join(work, `${source.replaceAll("/", "-")}.mjs`);
    await build({
      entryPoints: [join(root, source)],
      outfile,
      bundle: true,
      minify: true,
      format: "esm",
      platform,
      packages: "external",
      logLevel: "silent",
    });
    const { stdout } = await run(process.execPath, [
      "--input-type=module",
      "-e",
      probe,
      pathToFileURL(outfile).href,
    ]);
    const names = JSON.parse(stdout) as Record<string, string>;
    expect(Object.keys(names).length).toBeGreaterThan(0);
    expect(names).toEqual(Object.fromEntries(Object.keys(names).map((exported) => [exported, exported])));
  });
});
