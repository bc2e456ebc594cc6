/**
 * The other Node versions: `npm run test:node -- <major>` runs the unit tests on Node 22 or 24,
 * installed on first use like the other on-demand tools; `.ci/run` runs it on both.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { onDemandPackages, provideOnDemand } from "../../scripts/on-demand.ts";
import { runScript } from "../support/run-script.ts";

const run = promisify(execFile);
const root = resolve(import.meta.dirname, "../..");

describe("npm run test:node", () => {
  it("refuses a missing or unknown Node version with one line and exit code 2", async () => {
    const none = await runScript(root, "test-node.ts");
    expect(none.code).toBe(2);
    expect(none.stderr.trim()).toBe(
      "test:node: which Node? usage: npm run test:node -- <22|24> [vitest arguments]",
    );
    const unknown = await runScript(root, "test-node.ts", "23");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim()).toBe(
      'test:node: no Node "23" here; choose 22 or 24 (usage: npm run test:node -- <22|24> [vitest arguments])',
    );
  });
});

describe("on-demand tools (scripts/on-demand.ts)", () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** A packed package `gck-demo` (npm pack of a local folder: nothing is downloaded). */
  async function demoTarball(): Promise<string> {
    dir = await mkdtemp(join(tmpdir(), "gck-on-demand-"));
    const source = join(dir, "source");
    await mkdir(source);
    await writeFile(join(source, "package.json"), JSON.stringify({ name: "gck-demo", version: "1.2.3" }));
    await writeFile(join(source, "index.js"), "export default 42;\n");
    const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", dir], { cwd: source });
    const [packed] = JSON.parse(stdout) as [{ filename: string }];
    return join(dir, packed.filename);
  }

  it("installs a package once into the cache folder and reuses it after", async () => {
    const tarball = await demoTarball();
    const cache = join(dir ?? "", "cache");
    const pkg = { name: "gck-demo", version: `file:${tarball}` };
    const folder = await provideOnDemand("demo", pkg, cache);
    expect(folder).toBe(join(cache, "demo", "node_modules", "gck-demo"));
    expect(JSON.parse(await readFile(join(folder, "package.json"), "utf8"))).toMatchObject({
      version: "1.2.3",
    });
    await rm(tarball);
    await expect(provideOnDemand("demo", pkg, cache)).resolves.toBe(folder);
    expect(await readdir(cache)).toEqual(["demo"]);
  }, 60_000);

  it("fails with npm's reason and leaves no partial copy when the install fails", async () => {
    dir = await mkdtemp(join(tmpdir(), "gck-on-demand-"));
    const cache = join(dir, "cache");
    const missing = { name: "gck-demo", version: `file:${join(dir, "missing.tgz")}` };
    await expect(provideOnDemand("demo", missing, cache)).rejects.toThrow(
      /^on demand: npm install gck-demo@file:.*missing\.tgz failed: /,
    );
    expect(await readdir(cache)).toEqual([]);
  }, 60_000);

  it("pins every tool to an exact version", () => {
    for (const { version } of Object.values(onDemandPackages)) expect(version).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
