/** Starts test/support/shutdown-bot.ts as a child process and sends it SIGTERM, for the shutdown tests. */
import { type ChildProcess, spawn } from "node:child_process";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "../..");

export interface ShutdownOutcome {
  /** The exit code, or `undefined` when the process was still running after `boundMs` (then killed). */
  code: number | null | undefined;
  stdout: string;
  stderr: string;
}

/**
 * Runs the bot (with the Redis store when `redisUrl` is given), makes one keep-alive request to it,
 * sends SIGTERM and waits up to `boundMs` for it to exit; a process still running then is killed.
 */
export async function startAndTerminate(redisUrl?: string, boundMs = 10_000): Promise<ShutdownOutcome> {
  const args = [
    "--import",
    "tsx",
    join(root, "test/support/shutdown-bot.ts"),
    ...(redisUrl ? [redisUrl] : []),
  ];
  const child = spawn(process.execPath, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  try {
    const port = await listening(child, () => stdout, boundMs);
    // A kept-alive connection, as a load balancer holds: it must not keep the process alive.
    const answer = await fetch(`http://127.0.0.1:${port}/api/calls`, {
      signal: AbortSignal.timeout(boundMs),
    });
    await answer.arrayBuffer();
    child.kill("SIGTERM");
    const code = await exited(child, boundMs);
    return { code, stdout, stderr };
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
}

/** The port the bot prints once it listens. */
function listening(child: ChildProcess, output: () => string, boundMs: number): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error(`the bot did not listen within ${boundMs} ms`)), boundMs);
    const check = () => {
      const match = /^listening (\d+)$/m.exec(output());
      if (!match) return;
      clearTimeout(timer);
      child.stdout?.off("data", check);
      resolvePort(Number(match[1]));
    };
    child.stdout?.on("data", check);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the bot exited (${code}) before it listened`));
    });
  });
}

/** The exit code, or `undefined` when the process has not exited within `boundMs`. */
function exited(child: ChildProcess, boundMs: number): Promise<number | null | undefined> {
  return new Promise((resolveCode) => {
    const timer = setTimeout(() => resolveCode(undefined), boundMs);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolveCode(code);
    });
  });
}
