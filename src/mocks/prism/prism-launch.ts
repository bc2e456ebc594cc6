import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { isIP } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkRecord, checkTimeout, checkType, fail } from "../../core/check.ts";
import { checkSigner, type NotificationSigner } from "../notification-delivery.ts";
import {
  checkCallbackUrl,
  checkNotificationStatus,
  type PrismNotificationStatus,
} from "./callback-options.ts";
import { PrismStartError } from "./errors.ts";
import { freePort, portIsFree } from "./free-port.ts";
import { resolvePrismEntry } from "./prism-resolve.ts";
import { preparePrismSpec } from "./prism-spec.ts";
import { startSigningRelay } from "./signing-relay.ts";

/** The defaults of the Prism mock server. */
export const prismDefaults = {
  host: "127.0.0.1",
  port: 4010,
  callbackUrl: "http://127.0.0.1:3978/api/calls",
  readyTimeoutMs: 60_000,
} as const;

/** Options of {@link startPrism}; every one is optional. */
export interface PrismLaunchOptions {
  /**
   * The address Prism listens on.
   * @default "127.0.0.1"
   */
  host?: string;
  /**
   * The port Prism listens on; `0` picks a free one.
   * @default 4010
   */
  port?: number;
  /**
   * Where Prism sends the commsNotifications callbacks. No `{` or `}`: Prism would evaluate them
   * as a runtime expression, and `{$request.header.authorization}` would send the caller's bearer
   * token to this URL. A host that is not loopback gets a warning (notifications leave the machine).
   * @default "http://127.0.0.1:3978/api/calls"
   */
  callbackUrl?: string;
  /**
   * The status every notification reports: `completed` (each request succeeded, matching the
   * 200/202 Prism answers) or `failed` (to exercise a bot's failure path; the spec's "operation was
   * cancelled" `resultInfo`). Prism picks a callback's body when it starts, not per request.
   * @default "completed"
   */
  notificationStatus?: PrismNotificationStatus;
  /**
   * Signs every notification, as Graph does: Prism posts its callbacks to a 127.0.0.1 relay that
   * forwards each to `callbackUrl` with `Authorization: Bearer <fresh token>` from this signer, such
   * as the testing kit's keys (`createTestSigningKeys({ appId })` from `graph-comms-kit/testing`,
   * published with `serveTestSigningKeys(keys)`), so a bot with token checks on accepts them.
   * @default undefined (Prism sends its callbacks without an Authorization header)
   */
  notificationSigner?: NotificationSigner;
  /**
   * Also copy Prism's log to this function as it arrives (it is always kept for errors).
   * @default undefined
   */
  onOutput?: (text: string) => void;
  /**
   * Receives the launcher's warnings (such as a callback host that is not loopback).
   * @default console.warn
   */
  onWarning?: (message: string) => void;
  /**
   * Give up when Prism has not said it listens after this many milliseconds (`Infinity`: wait for ever).
   * @default 60_000
   */
  readyTimeoutMs?: number;
  /**
   * Directories to resolve `@stoplight/prism-cli` from.
   * @default this package's directory, then the current directory
   */
  searchDirs?: readonly string[];
}

const launchOptionKeys = [
  "host",
  "port",
  "callbackUrl",
  "notificationStatus",
  "notificationSigner",
  "onOutput",
  "onWarning",
  "readyTimeoutMs",
  "searchDirs",
] as const;

/** A running Prism mock server. */
export interface RunningPrism {
  /** The base URL, such as `http://127.0.0.1:4010`. */
  url: string;
  /** The address it listens on. */
  host: string;
  /** The port it listens on (the one picked, when `port: 0` was given). */
  port: number;
  /** Where it sends the commsNotifications callbacks. */
  callbackUrl: string;
  /** The status its notifications report. */
  notificationStatus: PrismNotificationStatus;
  /** Whether its notifications carry a bearer token (a `notificationSigner` was given). */
  signed: boolean;
  /** The prepared spec file Prism serves (removed on stop). */
  specFile: string;
  /** Prism's process id (it leads its own process group). */
  pid: number;
  /** Settles with Prism's exit code (`null` when ended by a signal) once it has exited. */
  exited: Promise<number | null>;
  /** Everything Prism printed so far. */
  output(): string;
  /** Stops Prism and everything it started (SIGTERM to its process group, SIGKILL after 5 s, and the signing relay) and removes the spec file. */
  stop(): Promise<void>;
}

const hostname =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** Checks a host to listen on: an IP address or a host name. Throws `InvalidArgumentError` otherwise. */
export function checkHost(host: unknown, option = "options.host"): string {
  if (typeof host === "string" && (isIP(host) !== 0 || hostname.test(host))) return host;
  fail(option, `must be an IP address or a host name, got ${JSON.stringify(host)}`);
}

/**
 * Checks a TCP port: a whole number from 0 to 65535 (a string of digits is read as one). Throws
 * `InvalidArgumentError` otherwise.
 */
export function checkPort(port: unknown, option = "options.port"): number {
  const value = typeof port === "string" && /^\d+$/.test(port.trim()) ? Number(port) : port;
  if (typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= 65535) return value;
  fail(option, `must be a whole number from 0 to 65535, got ${JSON.stringify(port)}`);
}

/** The URL of a server on `host:port` (IPv6 addresses in brackets). */
export function serverUrl(host: string, port: number): string {
  return `http://${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

/**
 * Starts Prism's mock server on a prepared copy of the bundled spec (see `preparePrismSpec`):
 * checks the options, finds Prism (else {@link PrismNotInstalledError}), checks the port is
 * free, and resolves once Prism says it listens (else {@link PrismStartError}, with its output).
 * Prism runs in its own process group, so `stop()` ends it and anything it forked; it is also
 * killed if this process exits first.
 *
 * @example
 * const prism = await startPrism({ port: 0, callbackUrl: "http://127.0.0.1:3978/api/calls" });
 * const response = await fetch(`${prism.url}/communications/calls/abc/cancelMediaProcessing`, {
 *   method: "POST",
 *   headers: { authorization: "Bearer test", "content-type": "application/json" },
 *   body: JSON.stringify({ clientContext: "ctx-1" }),
 * });
 * await prism.stop();
 */
export async function startPrism(options: PrismLaunchOptions = {}): Promise<RunningPrism> {
  checkRecord("options", options, launchOptionKeys);
  const host = checkHost(options.host ?? prismDefaults.host);
  const requestedPort = checkPort(options.port ?? prismDefaults.port);
  const callback = checkCallbackUrl(options.callbackUrl ?? prismDefaults.callbackUrl);
  const callbackUrl = callback.href;
  const notificationStatus = checkNotificationStatus(options.notificationStatus);
  const readyTimeoutMs = checkTimeout(
    "options.readyTimeoutMs",
    options.readyTimeoutMs ?? prismDefaults.readyTimeoutMs,
  );
  for (const name of ["onOutput", "onWarning"] as const) {
    if (options[name] !== undefined) checkType(`options.${name}`, options[name], "function");
  }
  const signer = checkSigner("options.notificationSigner", options.notificationSigner);
  if (options.searchDirs !== undefined) {
    const dirs = checkType<unknown[]>("options.searchDirs", options.searchDirs, "array");
    for (const [i, dir] of dirs.entries()) checkType(`options.searchDirs[${i}]`, dir, "string");
  }
  const warn = options.onWarning ?? ((m: string) => console.warn(m));
  if (callback.warning) warn(`warning: ${callback.warning}`);
  const entry = resolvePrismEntry(options.searchDirs);
  const port = requestedPort === 0 ? await freePort(host) : requestedPort;
  if (!(await portIsFree(port, host))) {
    throw new PrismStartError(`port ${port} on ${host} is already in use; choose another with --port`, "");
  }
  const relay =
    signer === undefined
      ? undefined
      : await startSigningRelay(callbackUrl, signer, (m) => warn(`warning: ${m}`));
  const dir = mkdtempSync(join(tmpdir(), "graph-comms-mock-"));
  const specFile = join(dir, "openapi.prism.json");
  writeFileSync(
    specFile,
    JSON.stringify(preparePrismSpec({ callbackUrl: relay?.url ?? callbackUrl, notificationStatus })),
  );

  const child = spawn(process.execPath, [entry, "mock", "-h", host, "-p", String(port), specFile], {
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, FORCE_COLOR: "0" },
  });
  let output = "";
  const collect = (chunk: Buffer) => {
    const text = chunk.toString("utf8");
    output = (output + text).slice(-64_000);
    options.onOutput?.(text);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const exited = new Promise<number | null>((resolve) => {
    child.once("exit", (code) => resolve(code));
    child.once("error", (error) => {
      output += `\n${error.message}`;
      resolve(1);
    });
  });
  const killOnExit = () => killGroup(child, "SIGKILL");
  process.once("exit", killOnExit);
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      process.removeListener("exit", killOnExit);
      killGroup(child, "SIGTERM");
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<"late">((resolve) => {
        timer = setTimeout(() => resolve("late"), 5_000);
      });
      if ((await Promise.race([exited, late])) === "late") {
        killGroup(child, "SIGKILL");
        await exited;
      }
      clearTimeout(timer);
      // Anything Prism forked into its group goes too.
      killGroup(child, "SIGKILL");
      await relay?.close();
      rmSync(dir, { recursive: true, force: true });
    })();
    return stopped;
  };

  const ready = await new Promise<"ready" | "exited" | "timeout">((resolve) => {
    const timer =
      readyTimeoutMs === undefined ? undefined : setTimeout(() => resolve("timeout"), readyTimeoutMs);
    const check = () => {
      if (/Prism is listening on/.test(output)) {
        clearTimeout(timer);
        child.stdout?.off("data", check);
        resolve("ready");
      }
    };
    child.stdout?.on("data", check);
    void exited.then(() => {
      clearTimeout(timer);
      resolve("exited");
    });
  });
  if (ready !== "ready") {
    await stop();
    const why =
      ready === "exited"
        ? "Prism exited before it listened"
        : `Prism did not listen within ${readyTimeoutMs ?? "unlimited"} ms`;
    throw new PrismStartError(`${why} (on ${serverUrl(host, port)})`, output);
  }
  if (child.pid === undefined) throw new PrismStartError("Prism has no process id", output);
  return {
    url: serverUrl(host, port),
    host,
    port,
    callbackUrl,
    notificationStatus,
    signed: relay !== undefined,
    specFile,
    pid: child.pid,
    exited,
    output: () => output,
    stop,
  };
}
