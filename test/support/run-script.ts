/** Runs one of the project's scripts with tsx, for tests of the scripts' exit codes and output. */
import { execFile } from "node:child_process";
import { join, resolve } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const tsx = join(resolve(import.meta.dirname, "../.."), "node_modules/.bin/tsx");

export interface ScriptResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `scripts/<name>` in the project at `dir` (the checkout, or a {@link copyProject} copy) with
 * `args`, and resolves with its exit code and output instead of throwing on a non-zero exit.
 */
export async function runScript(dir: string, name: string, ...args: string[]): Promise<ScriptResult> {
  try {
    const { stdout, stderr } = await run(tsx, [join("scripts", name), ...args], { cwd: dir });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
