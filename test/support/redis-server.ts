/**
 * Runs Debian's `redis-server` on 127.0.0.1 for the Redis tests and the bench: a free port, no
 * persistence unless asked (`--save "" --appendonly no`), its files in a temporary folder.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { accessSync, constants, mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { freePort } from "../../src/mocks/prism/free-port.ts";

/** A running (or stopped, restartable) `redis-server`. */
export interface RedisServer {
  /** `redis://127.0.0.1:PORT`. */
  url: string;
  port: number;
  /**
   * Stops the server. With `save`, it writes its data first (`SHUTDOWN SAVE`), so that `start()`
   * brings it back with the same keys; without, the data is gone. Stopped already: a no-op.
   */
  stop(options?: { save?: boolean }): Promise<void>;
  /** Starts the server again on the same port and folder, after `stop()`. */
  start(): Promise<void>;
  /** Stops the server and removes its folder. */
  close(): Promise<void>;
}

/**
 * The one-line reason the Redis tests cannot run, or `undefined` when `redis-server` is on PATH.
 *
 * @example
 * const missing = redisServerMissing(); // "redis-server is not on PATH: install Debian's redis-server (apt-get install redis-server)"
 */
export function redisServerMissing(): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    try {
      accessSync(join(dir, "redis-server"), constants.X_OK);
      return undefined;
    } catch {}
  }
  return "redis-server is not on PATH: install Debian's redis-server (apt-get install redis-server)";
}

/**
 * Starts `redis-server` on a free 127.0.0.1 port and resolves when it accepts connections.
 *
 * @example
 * const redis = await startRedisServer();
 * const client = await createClient({ url: redis.url }).connect();
 * await redis.close();
 */
export async function startRedisServer(): Promise<RedisServer> {
  const missing = redisServerMissing();
  if (missing) throw new Error(missing);
  const dir = mkdtempSync(join(tmpdir(), "gck-redis-"));
  let port = await freePort();
  let child: ChildProcess | undefined;
  // Another process may take the free port before redis-server binds it: then try another.
  for (let attempt = 1; ; attempt++) {
    try {
      child = await launch(port, dir);
      break;
    } catch (error) {
      if (attempt === 5 || !String(error).includes("Address already in use")) {
        rmSync(dir, { recursive: true, force: true });
        throw error;
      }
      port = await freePort();
    }
  }
  const stop = async ({ save = false } = {}) => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once("exit", resolve));
    if (save) await command(port, "SHUTDOWN SAVE");
    else running.kill("SIGKILL");
    await exited;
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop,
    async start() {
      if (child) throw new Error("redis-server is running already");
      child = await launch(port, dir);
    },
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Spawns redis-server and resolves when it says it is ready; rejects with its output if it exits first. */
function launch(port: number, dir: string): Promise<ChildProcess> {
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  return new Promise((resolve, reject) => {
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Ready to accept connections")) {
        child.stdout?.off("data", onData);
        child.off("exit", onExit);
        child.stdout?.resume();
        resolve(child);
      }
    };
    const onExit = () => reject(new Error(`redis-server exited before it was ready:\n${output.trim()}`));
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once("error", reject);
    child.once("exit", onExit);
  });
}

/** Sends one inline command and waits until the server closes the connection (SHUTDOWN does). */
function command(port: number, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.write(`${text}\r\n`));
    socket.on("error", reject);
    socket.on("close", () => resolve());
    socket.resume();
  });
}
