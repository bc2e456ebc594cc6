import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { freePort } from "../../../src/mocks/prism/free-port.ts";
import { startRecordingServer } from "../../support/recording-server.ts";

/** `npm start`'s command line after `node`, read from package.json (the bin's source run with tsx). */
const startArgs = (
  JSON.parse(readFileSync("package.json", "utf8")) as { scripts: { start: string } }
).scripts.start
  .replace(/^node /, "")
  .split(" ");

/** Runs `npm start`'s script directly (node + tsx loader), so signals reach it without npm in between. */
function startCommand(args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [...startArgs, ...args], {
    env: { ...process.env, ...env, FORCE_COLOR: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

function collect(child: ChildProcess): {
  text: () => string;
  until: (pattern: RegExp) => Promise<RegExpMatchArray>;
} {
  let text = "";
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    text += chunk.toString("utf8");
    for (const wake of waiters) wake();
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  return {
    text: () => text,
    until: (pattern) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const match = text.match(pattern);
          if (match) {
            waiters.delete(check);
            resolve(match);
          }
        };
        waiters.add(check);
        child.once("exit", () => reject(new Error(`exited before ${pattern}:\n${text}`)));
        check();
      }),
  };
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once("exit", (code) => resolve(code));
  });
}

function prismProcessesOn(port: number): string[] {
  const table = execFileSync("ps", ["-eo", "pid,args"], { encoding: "utf8" });
  return table.split("\n").filter((line) => line.includes("prism-cli") && line.includes(` -p ${port} `));
}

describe("npm start (the graph-comms-mock bin, from source)", () => {
  it("exits 2 with a clear message on a bad port", async () => {
    const child = startCommand(["--port", "not-a-port"]);
    const output = collect(child);
    expect(await exitOf(child)).toBe(2);
    expect(output.text()).toMatch(/--port must be a whole number from 0 to 65535, got "not-a-port"/);
  });

  it.each(["SIGTERM", "SIGINT"] as const)(
    "prints the URL, a working curl and the callback URL, and stops Prism on %s",
    async (signal) => {
      const callbackPort = await freePort();
      const listener = await startRecordingServer({ port: callbackPort });
      const child = startCommand(["--port", "0"], {
        CALLBACK_URL: `http://127.0.0.1:${callbackPort}/api/calls`,
      });
      const output = collect(child);
      try {
        const [, url, port] = await output.until(/listening on (http:\/\/127\.0\.0\.1:(\d+))\n/);
        await output.until(/Press Ctrl-C to stop/);
        expect(output.text()).toContain(`POSTed to http://127.0.0.1:${callbackPort}/api/calls`);
        const curl = output.text().match(/(curl -i [\s\S]*?)\nNotifications/)?.[1] ?? "";
        expect(curl).toContain(`${url}/communications/calls/`);
        // The printed command, pasted into a shell, gets the spec's 200 with a Location.
        // stdio "pipe": curl's progress meter on stderr stays out of the test output.
        const reply = execFileSync("bash", ["-c", curl], { encoding: "utf8", stdio: "pipe" });
        expect(reply).toMatch(/^HTTP\/1\.1 200 OK/);
        expect(reply).toMatch(/Location: https:\/\/graph\.microsoft\.com\/v1\.0\/communications\/calls\//i);
        await listener.waitFor((c) => c.text.includes("/communications/calls/"));
        expect(prismProcessesOn(Number(port))).toHaveLength(1);

        child.kill(signal);
        expect(await exitOf(child)).toBe(0);
        expect(output.text()).toContain("Mock stopped.");
        expect(prismProcessesOn(Number(port))).toEqual([]);
        await expect(fetch(`${url}/communications/calls/x/cancelMediaProcessing`)).rejects.toThrow();
      } finally {
        if (child.exitCode === null) child.kill("SIGKILL");
        await listener.close();
      }
    },
  );

  it("stops Prism when its parent (such as npm) dies without passing a signal on", async () => {
    const parent = spawn("bash", ["-c", `"${process.execPath}" ${startArgs.join(" ")} --port 0; true`], {
      env: { ...process.env, FORCE_COLOR: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const output = collect(parent);
    try {
      const [, , port] = await output.until(/listening on (http:\/\/127\.0\.0\.1:(\d+))\n/);
      expect(prismProcessesOn(Number(port))).toHaveLength(1);
      parent.kill("SIGKILL");
      await expect.poll(() => prismProcessesOn(Number(port)), { timeout: 15_000, interval: 250 }).toEqual([]);
      await expect.poll(() => output.text(), { timeout: 5_000 }).toContain("Mock stopped.");
    } finally {
      if (parent.exitCode === null) parent.kill("SIGKILL");
    }
  });
});
