/**
 * The programs the tests need from the system (not from npm), and how `npm test`'s set-up step
 * provides them: found on PATH, else installed with apt where that is possible (Debian, root),
 * else a one-line failure naming the package.
 */
import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync } from "node:fs";
import { delimiter, join } from "node:path";

/** A program the tests start, and the Debian package that installs it. */
export interface SystemProgram {
  /** The command looked up on PATH. */
  command: string;
  /** The Debian package that installs it. */
  debianPackage: string;
  /** Who needs it, for the failure message. */
  neededBy: string;
  /** The package's systemd unit, kept stopped: the tests start their own instance on a free port. */
  service?: string;
}

/** What `npm test` needs: the Redis store tests' global set-up starts `redis-server` from PATH. */
export const testPrograms: readonly SystemProgram[] = [
  {
    command: "redis-server",
    debianPackage: "redis-server",
    neededBy: "the Redis store tests",
    service: "redis-server",
  },
];

/** The machine as the set-up step sees it (a fake in tests). */
export interface SetupHost {
  /** The command's path on PATH, or undefined. */
  find(command: string): string | undefined;
  /** Whether packages can be installed with apt: a Debian system, and we are root. */
  canApt: boolean;
  /** Whether systemd runs the machine (then an installed service would be started). */
  systemd: boolean;
  /** Runs a command; resolves with its exit status and the last line it wrote to stderr. */
  run(command: string, args: readonly string[]): { status: number; lastError: string };
}

/** A set-up failure, its message one line for the terminal. */
export class SetupError extends Error {
  override readonly name = "SetupError";
}

/**
 * Makes sure every program is on PATH, installing the missing ones with apt when the host allows
 * (after `apt-get update`, without starting their services), and returns one line saying what was
 * done.
 *
 * @throws {SetupError} naming the package to install when a program is missing and cannot be installed.
 */
export function provideSystemPrograms(programs: readonly SystemProgram[], host: SetupHost): string {
  const done: string[] = [];
  const missing: SystemProgram[] = [];
  for (const program of programs) {
    const path = host.find(program.command);
    if (path === undefined) missing.push(program);
    else done.push(`${program.command} found (${path})`);
  }
  if (missing.length === 0) return `test setup: ${done.join("; ")}`;

  if (!host.canApt) {
    const names = missing.map((program) => program.debianPackage).join(" ");
    const who = missing.map((program) => `${program.command} (for ${program.neededBy})`).join(", ");
    throw new SetupError(
      `test setup: ${who} not found on PATH: install the package ${names} (Debian: apt-get install -y ${names})`,
    );
  }
  const packages = missing.map((program) => program.debianPackage);
  apt(host, ["update", "-qq"]);
  apt(host, ["install", "-y", "-qq", "--no-install-recommends", ...packages]);
  for (const program of missing) {
    const path = host.find(program.command);
    if (path === undefined) {
      throw new SetupError(
        `test setup: apt-get installed ${program.debianPackage}, but ${program.command} is still not on PATH`,
      );
    }
    if (program.service !== undefined && host.systemd) {
      host.run("systemctl", ["disable", "--now", "--quiet", program.service]);
    }
    done.push(`installed ${program.debianPackage} with apt-get (${path})`);
  }
  return `test setup: ${done.join("; ")}`;
}

function apt(host: SetupHost, args: readonly string[]): void {
  const { status, lastError } = host.run("apt-get", args);
  if (status !== 0) {
    throw new SetupError(`test setup: apt-get ${args.join(" ")} failed (exit ${status}): ${lastError}`);
  }
}

/** This machine: PATH, /etc/debian_version, the user id, and commands run quietly. */
export const localHost: SetupHost = {
  find(command) {
    for (const dir of (process.env.PATH ?? "").split(delimiter)) {
      if (dir === "") continue;
      const path = join(dir, command);
      try {
        accessSync(path, constants.X_OK);
        return path;
      } catch {
        // not in this folder
      }
    }
    return undefined;
  },
  canApt: existsSync("/etc/debian_version") && process.getuid?.() === 0,
  systemd: existsSync("/run/systemd/system"),
  run(command, args) {
    const result = spawnSync(command, args, {
      encoding: "utf8",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
    const lines = `${result.stderr ?? ""}${result.error?.message ?? ""}`.trim().split("\n");
    return { status: result.status ?? 1, lastError: lines.at(-1) ?? "" };
  },
};
