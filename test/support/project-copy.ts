/**
 * A throw-away copy of the project's spec tooling (spec, scripts, src, generated, configs) in a
 * temporary folder, sharing this checkout's node_modules, for tests that edit the spec and run the
 * project's scripts on it. `remove()` deletes it.
 */
import { cp, mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "../..");
const entries = ["spec", "scripts", "src", "generated", "redocly.yaml", "package.json", "tsconfig.json"];

export interface ProjectCopy {
  dir: string;
  remove(): Promise<void>;
}

export async function copyProject(prefix: string): Promise<ProjectCopy> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  for (const entry of entries) await cp(join(root, entry), join(dir, entry), { recursive: true });
  await symlink(join(root, "node_modules"), join(dir, "node_modules"), "dir");
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
