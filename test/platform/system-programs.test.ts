import { describe, expect, it } from "vitest";
import {
  provideSystemPrograms,
  SetupError,
  type SetupHost,
  type SystemProgram,
  testPrograms,
} from "../../scripts/system-programs.ts";

const redis: SystemProgram = {
  command: "redis-server",
  debianPackage: "redis-server",
  neededBy: "the Redis store tests",
  service: "redis-server",
};

/** A machine with the `installed` commands, recording what the set-up runs on it. */
function fakeHost(options: {
  installed?: string[];
  canApt?: boolean;
  systemd?: boolean;
  /** What apt-get puts on PATH when it installs a package. */
  apt?: Record<string, string>;
  failing?: string;
}) {
  const onPath = new Set(options.installed ?? []);
  const ran: string[] = [];
  const host: SetupHost = {
    find: (command) => (onPath.has(command) ? `/usr/bin/${command}` : undefined),
    canApt: options.canApt ?? false,
    systemd: options.systemd ?? false,
    run(command, args) {
      const line = [command, ...args].join(" ");
      ran.push(line);
      if (options.failing !== undefined && line.includes(options.failing)) {
        return { status: 100, lastError: "E: Unable to locate package redis-server" };
      }
      if (command === "apt-get" && args[0] === "install") {
        for (const name of args.slice(1)) {
          const command = options.apt?.[name];
          if (command !== undefined) onPath.add(command);
        }
      }
      return { status: 0, lastError: "" };
    },
  };
  return { host, ran };
}

describe("provideSystemPrograms (npm test's set-up step)", () => {
  it("needs redis-server for npm test, from Debian's redis-server package", () => {
    expect(testPrograms.map((program) => [program.command, program.debianPackage])).toEqual([
      ["redis-server", "redis-server"],
    ]);
  });

  it("says where it found a program that is on PATH, and runs nothing", () => {
    const { host, ran } = fakeHost({ installed: ["redis-server"], canApt: true });
    expect(provideSystemPrograms([redis], host)).toBe(
      "test setup: redis-server found (/usr/bin/redis-server)",
    );
    expect(ran).toEqual([]);
  });

  it("installs a missing program with apt-get on Debian as root, after apt-get update", () => {
    const { host, ran } = fakeHost({ canApt: true, apt: { "redis-server": "redis-server" } });
    expect(provideSystemPrograms([redis], host)).toBe(
      "test setup: installed redis-server with apt-get (/usr/bin/redis-server)",
    );
    expect(ran).toEqual([
      "apt-get update -qq",
      "apt-get install -y -qq --no-install-recommends redis-server",
    ]);
  });

  it("keeps the installed service stopped where systemd would start it", () => {
    const { host, ran } = fakeHost({ canApt: true, systemd: true, apt: { "redis-server": "redis-server" } });
    provideSystemPrograms([redis], host);
    expect(ran.at(-1)).toBe("systemctl disable --now --quiet redis-server");
  });

  it("fails with one line naming the package when it cannot use apt", () => {
    const { host, ran } = fakeHost({ canApt: false });
    const error = catchError(() => provideSystemPrograms([redis], host));
    expect(error).toBeInstanceOf(SetupError);
    expect(error.message).toBe(
      "test setup: redis-server (for the Redis store tests) not found on PATH: install the package " +
        "redis-server (Debian: apt-get install -y redis-server)",
    );
    expect(ran).toEqual([]);
  });

  it("fails with one line when apt-get fails, or installs the package without the program", () => {
    const failing = fakeHost({ canApt: true, failing: "install" });
    expect(catchError(() => provideSystemPrograms([redis], failing.host)).message).toBe(
      "test setup: apt-get install -y -qq --no-install-recommends redis-server failed (exit 100): " +
        "E: Unable to locate package redis-server",
    );
    const empty = fakeHost({ canApt: true, apt: {} });
    expect(catchError(() => provideSystemPrograms([redis], empty.host)).message).toBe(
      "test setup: apt-get installed redis-server, but redis-server is still not on PATH",
    );
  });

  it("reports found and installed programs together on its one line", () => {
    const jq: SystemProgram = { command: "jq", debianPackage: "jq", neededBy: "a test" };
    const { host } = fakeHost({ installed: ["jq"], canApt: true, apt: { "redis-server": "redis-server" } });
    const line = provideSystemPrograms([jq, redis], host);
    expect(line).toBe(
      "test setup: jq found (/usr/bin/jq); installed redis-server with apt-get (/usr/bin/redis-server)",
    );
    expect(line).not.toContain("\n");
  });
});

function catchError(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a SetupError");
}
