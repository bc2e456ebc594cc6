import { parseArgs } from "node:util";
import { fail } from "../../core/check.ts";
import { InvalidArgumentError } from "../../core/errors.ts";
import { isLoopback } from "../../core/secure-url.ts";
import { resolveSpecRef, specExample } from "../../core/spec-document.ts";
import {
  checkCallbackUrl,
  checkNotificationStatus,
  type PrismNotificationStatus,
} from "./callback-options.ts";
import { flagError, stopSignals } from "./cli-common.ts";
import { PrismNotInstalledError, PrismStartError } from "./errors.ts";
import { type MockSigning, signingLines, startMockSigning } from "./mock-signing.ts";
import {
  checkHost,
  checkPort,
  type PrismLaunchOptions,
  prismDefaults,
  serverUrl,
  startPrism,
} from "./prism-launch.ts";

/** The settings of the mock server command, after flags and environment are read. */
export interface MockCliSettings {
  /** Whether `--help` was given (then the usage is printed and nothing started). */
  help: boolean;
  /** The address to listen on (`--host`, `HOST`; default `127.0.0.1`). */
  host: string;
  /** The port to listen on, `0` for any free port (`--port`, `PORT`; default `4010`). */
  port: number;
  /** Where notifications go (`--callback-url`, `CALLBACK_URL`; default `http://127.0.0.1:3978/api/calls`). */
  callbackUrl: string;
  /** The status every notification reports. */
  notificationStatus: PrismNotificationStatus;
  /** The bot's app id to sign notifications for (`--app-id`, `APP_ID`); unsigned when absent. */
  appId?: string;
  /** The 127.0.0.1 port of the OpenID configuration and JWKS when signing (`--keys-port`, `KEYS_PORT`; default 0: any free one). */
  keysPort: number;
  /** A warning about the settings (a callback host that is not loopback), to print. */
  warning?: string;
  /** A warning that the mock listens beyond this machine (a `--host` that is not loopback), to print. */
  listenWarning?: string;
}

/** Where the command writes; the process's streams by default. */
export interface MockCliIo {
  /** Receives the normal output (the URL, the usage). */
  out: (text: string) => void;
  /** Receives problems and warnings. */
  err: (text: string) => void;
  /** Resolves when the command should stop (default: SIGINT, SIGTERM, SIGHUP, or the parent process exiting). */
  stopSignal?: Promise<unknown>;
  /** Extra options for {@link startPrism} (tests use it to choose where Prism is looked for). */
  launch?: Pick<PrismLaunchOptions, "searchDirs" | "readyTimeoutMs">;
}

const command = "graph-comms-mock";

/** The command's help text. */
export const mockCliUsage = `Usage: ${command} [--host H] [--port N] [--callback-url URL] [--notification-status S]
                        [--app-id ID [--keys-port N]]
       ${command} simulate --help     the simulator: each call's media queue over HTTP
       ${command} trigger --help      send one notification to a running bot

Runs Prism's mock of Microsoft Graph cancelMediaProcessing from graph-comms-kit's bundled spec.
Each request is answered from the spec's examples (every path also under /beta and /v1.0, as
Graph serves it), and the commsNotifications callback is POSTed to the callback URL.

Options (flags win over environment variables):
  --host H                 address to listen on (env HOST; default ${prismDefaults.host})
  --port N                 port to listen on, 0 for any free port (env PORT; default ${prismDefaults.port})
  --callback-url URL       where notifications go, no { or } (env CALLBACK_URL; default ${prismDefaults.callbackUrl})
  --notification-status S  what every notification reports: completed or failed
                           (env NOTIFICATION_STATUS; default completed)
  --app-id ID              sign every notification as Graph does, for the bot with this app id
                           (the token's audience), with test keys made at start; prints the URL
                           to set as the bot's openIdConfigurationUrl (env APP_ID; default: unsigned)
  --keys-port N            127.0.0.1 port serving that OpenID configuration and JWKS
                           (env KEYS_PORT; default 0: any free port)
  --help                   show this help
`;

const flags = ["host", "port", "callback-url", "notification-status", "app-id", "keys-port", "help"];

/**
 * Reads the command's flags (`--host`, `--port`, `--callback-url`, `--help`) and environment
 * (`HOST`, `PORT`, `CALLBACK_URL`, `NOTIFICATION_STATUS`). Throws `InvalidArgumentError` naming the
 * bad flag or variable.
 */
export function parseMockCliArgs(argv: readonly string[], env: NodeJS.ProcessEnv): MockCliSettings {
  let values: {
    host?: string;
    port?: string;
    "callback-url"?: string;
    "notification-status"?: string;
    "app-id"?: string;
    "keys-port"?: string;
    help?: boolean;
  };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        host: { type: "string" },
        port: { type: "string" },
        "callback-url": { type: "string" },
        "notification-status": { type: "string" },
        "app-id": { type: "string" },
        "keys-port": { type: "string" },
        help: { type: "boolean" },
      },
    }));
  } catch (error) {
    throw flagError(error, command, flags);
  }
  const pick = (flag: string | undefined, flagName: string, variable: string) => {
    if (flag !== undefined) return { value: flag, name: flagName };
    const fromEnv = env[variable];
    return fromEnv === undefined || fromEnv === "" ? undefined : { value: fromEnv, name: variable };
  };
  const host = pick(values.host, "--host", "HOST");
  const port = pick(values.port, "--port", "PORT");
  const callback = pick(values["callback-url"], "--callback-url", "CALLBACK_URL");
  const status = pick(values["notification-status"], "--notification-status", "NOTIFICATION_STATUS");
  const appId = pick(values["app-id"], "--app-id", "APP_ID");
  const keysPort = pick(values["keys-port"], "--keys-port", "KEYS_PORT");
  if (appId !== undefined && appId.value.trim() === "") fail(appId.name, "must not be blank");
  if (keysPort !== undefined && appId === undefined) {
    fail(keysPort.name, "serves the signing keys: give --app-id (or APP_ID) too");
  }
  const checked = callback ? checkCallbackUrl(callback.value, callback.name) : undefined;
  const listenHost = host ? checkHost(host.value, host.name) : prismDefaults.host;
  const listenWarning = host ? beyondLoopback(listenHost, host.name) : undefined;
  return {
    help: values.help === true,
    host: listenHost,
    port: port ? checkPort(port.value, port.name) : prismDefaults.port,
    callbackUrl: checked?.href ?? prismDefaults.callbackUrl,
    notificationStatus: status ? checkNotificationStatus(status.value, status.name) : "completed",
    ...(appId === undefined ? {} : { appId: appId.value.trim() }),
    keysPort: keysPort ? checkPort(keysPort.value, keysPort.name) : 0,
    ...(checked?.warning ? { warning: checked.warning } : {}),
    ...(listenWarning ? { listenWarning } : {}),
  };
}

/**
 * Why listening on `host` reaches beyond this machine, or `undefined` for a loopback host: the mock
 * accepts any bearer token, so whoever reaches it can use it (and make it POST notifications).
 */
function beyondLoopback(host: string, name: string): string | undefined {
  if (isLoopback(new URL(serverUrl(host, 0)))) return undefined;
  const where =
    host === "0.0.0.0" || host === "::"
      ? "every network interface of this machine"
      : `${host}, not only this machine`;
  return `${name} ${host}: the mock listens on ${where}; it accepts any bearer token, so anyone who can reach it can call it and have it POST notifications to the callback URL. Use 127.0.0.1 unless other machines must reach it.`;
}

function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** A ready-to-paste curl for the current path, with the spec's example call id and request body. */
export function exampleCurl(baseUrl: string): string {
  const callId = String(resolveSpecRef({ $ref: "#/components/parameters/callId" }).example);
  const body = JSON.stringify(specExample("currentRequest"));
  const url = `${baseUrl}/communications/calls/${encodeURIComponent(callId)}/cancelMediaProcessing`;
  return [
    `curl -i -X POST ${shellQuote(url)}`,
    `-H ${shellQuote("Authorization: Bearer any-token")}`,
    `-H ${shellQuote("Content-Type: application/json")}`,
    `-d ${shellQuote(body)}`,
  ].join(" \\\n    ");
}

function isAddressInUse(error: unknown): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === "EADDRINUSE";
}

/**
 * Runs the mock server command until Ctrl-C / SIGTERM / SIGHUP or the loss of its parent process
 * (then stops Prism and exits 0), or until Prism exits on its own (its exit code). Bad flags exit 2 with the problem and the usage; a
 * missing Prism or a taken port exit 1 with what to do.
 *
 * @example
 * process.exitCode = await runMockCli(process.argv.slice(2), process.env);
 */
export async function runMockCli(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  io: MockCliIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) },
): Promise<number> {
  if (argv[0] === "simulate") {
    const { runSimulateCli } = await import("./simulate-cli.ts");
    return runSimulateCli(argv.slice(1), env, io);
  }
  if (argv[0] === "trigger") {
    const { runTriggerCli } = await import("./trigger-cli.ts");
    return runTriggerCli(argv.slice(1), env, io);
  }
  let settings: MockCliSettings;
  try {
    settings = parseMockCliArgs(argv, env);
  } catch (error) {
    if (!(error instanceof InvalidArgumentError)) throw error;
    io.err(`${command}: ${error.message}\n\n${mockCliUsage}`);
    return 2;
  }
  if (settings.help) {
    io.out(mockCliUsage);
    return 0;
  }
  if (settings.listenWarning) io.err(`${command}: warning: ${settings.listenWarning}\n`);
  const signals = io.stopSignal === undefined ? stopSignals() : undefined;
  const stop: Promise<unknown> = io.stopSignal ?? signals?.signal ?? new Promise(() => {});
  let prism: Awaited<ReturnType<typeof startPrism>>;
  let signing: MockSigning | undefined;
  try {
    signing =
      settings.appId === undefined ? undefined : await startMockSigning(settings.appId, settings.keysPort);
    prism = await startPrism({
      ...(signing === undefined ? {} : { notificationSigner: signing.keys }),
      host: settings.host,
      port: settings.port,
      callbackUrl: settings.callbackUrl,
      notificationStatus: settings.notificationStatus,
      onOutput: (text) => io.out(text),
      onWarning: (text) => io.err(`${command}: ${text}\n`),
      ...io.launch,
    });
  } catch (error) {
    signals?.dispose();
    await signing?.close();
    if (isAddressInUse(error)) {
      io.err(
        `${command}: port ${settings.keysPort} on 127.0.0.1 is already in use; choose another with --keys-port\n`,
      );
      return 1;
    }
    if (error instanceof PrismNotInstalledError || error instanceof PrismStartError) {
      io.err(`${command}: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  io.out(
    [
      "",
      `Mock Microsoft Graph (Prism) is listening on ${prism.url}`,
      `  (every path also under ${prism.url}/beta and ${prism.url}/v1.0, as Graph serves it)`,
      "Try it:",
      `  ${exampleCurl(prism.url)}`,
      `Notifications (the commsNotifications callback) are POSTed to ${prism.callbackUrl}`,
      `  Each reports "${prism.notificationStatus}" for the operation in the Location Prism answers (the spec's`,
      "  example ids, whatever call id you sent). Only a 202 is followed by one: a 200 with a completed",
      "  operation is final, as in Graph. Prism sends a callback even for a request it answered with an error.",
      ...signingLines(signing),
      "Press Ctrl-C to stop.",
      "",
    ].join("\n"),
  );
  const outcome = await Promise.race([stop.then(() => "stop" as const), prism.exited]);
  signals?.dispose();
  await signing?.close();
  if (outcome === "stop") {
    await prism.stop();
    io.out("Mock stopped.\n");
    return 0;
  }
  await prism.stop();
  io.err(`${command}: Prism exited unexpectedly (code ${outcome ?? "signal"})\n`);
  return typeof outcome === "number" && outcome !== 0 ? outcome : 1;
}
