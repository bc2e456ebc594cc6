/**
 * The other Node versions: `npm run test:node -- <major>` runs the unit tests on the node22/node24
 * dev dependencies, and `prepare` keeps their `node` bin off npm scripts' PATH.
 */
import { execFile } from "node:child_process";
import { lstat, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { runScript } from "../support/run-script.ts";

const run = promisify(execFile);
const root = resolve(import.meta.dirname, "../..");
const unlinkScript = join(root, "scripts/unlink-node-bin.mjs");

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

  it("runs the unit tests it is given on Node 24, passing vitest's arguments on", {
    timeout: 120_000,
  }, async () => {
    const result = await runScript(root, "test-node.ts", "24", "test/platform/system-programs.test.ts");
    expect(result.stderr).not.toMatch(/FAIL/);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^test:node: unit tests on Node v24\.\d+\.\d+ \(node_modules\/node24\/bin\/node\)$/m,
    );
    expect(result.stdout).toMatch(/test\/platform\/system-programs\.test\.ts/);
    expect(result.stdout).not.toMatch(/test\/platform\/node-versions\.test\.ts/);
  });
});

describe("prepare (scripts/unlink-node-bin.mjs)", () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** A project whose node_modules/.bin/node links to `target` (relative to node_modules/.bin). */
  async function projectWithNodeLink(target: string): Promise<string> {
    dir = await mkdtemp(join(tmpdir(), "gck-unlink-"));
    for (const alias of ["node22", "other"]) {
      await mkdir(join(dir, "node_modules", alias, "bin"), { recursive: true });
      await writeFile(join(dir, "node_modules", alias, "bin", "node"), "");
    }
    await mkdir(join(dir, "node_modules", ".bin"), { recursive: true });
    await symlink(target, join(dir, "node_modules", ".bin", "node"));
    return dir;
  }

  it("removes the node_modules/.bin/node link to node22's binary", async () => {
    const project = await projectWithNodeLink("../node22/bin/node");
    const { stdout } = await run(process.execPath, [unlinkScript], { cwd: project });
    expect(stdout).toMatch(/^prepare: removed node_modules\/\.bin\/node/);
    await expect(lstat(join(project, "node_modules/.bin/node"))).rejects.toThrow(/ENOENT/);
  });

  it("leaves a node_modules/.bin/node that is not one of those binaries alone", async () => {
    const project = await projectWithNodeLink("../other/bin/node");
    const { stdout } = await run(process.execPath, [unlinkScript], { cwd: project });
    expect(stdout).toBe("");
    expect((await lstat(join(project, "node_modules/.bin/node"))).isSymbolicLink()).toBe(true);
  });
});
