import { parseArgs } from "node:util";
import { fail } from "../../core/check.ts";
import { InvalidArgumentError } from "../../core/errors.ts";
import { checkCallbackUrl } from "./callback-options.ts";
import { flagError, stopSignals } from "./cli-common.ts";
import type { MockCliIo } from "./mock-cli.ts";
import { type MockSigning, signingLines, startMockSigning } from "./mock-signing.ts";
import { checkHost, checkPort } from "./prism-launch.ts";
import { type RunningSimulator, startSimulator } from "./simulator.ts";

const command = "graph-comms-mock simulate";
const flags = ["host", "port", "callback-url", "app-id", "keys-port", "media-duration-ms", "help"];

/** The help text of `graph-comms-mock simulate`. */
export const simulateUsage = `Usage: ${command} [--host H] [--port N] [--callback-url URL]
                                 [--app-id ID [--keys-port N]] [--media-duration-ms MS]

Serves a simulator of Microsoft Graph's call media actions over HTTP (the package's MSW handlers on
@mswjs/http-middleware): each call's queue of playPrompt and recordResponse operations runs in
order, cancelMediaProcessing cancels the running and queued ones, and the notifications Graph would
send are POSTed to the callback URL. Every path is also served under /beta and /v1.0, and in its
namespace-qualified form (.../microsoft.graph.cancelMediaProcessing).

Options (flags win over environment variables):
  --host H                 address to listen on (env HOST; default 127.0.0.1)
  --port N                 port to listen on, 0 for any free port (env PORT; default 4010)
  --callback-url URL       where notifications go (env CALLBACK_URL; default http://127.0.0.1:3978/api/calls)
  --app-id ID              sign every notification for the bot with this app id; prints the URL to
                           set as the bot's openIdConfigurationUrl (env APP_ID; default: unsigned)
  --keys-port N            127.0.0.1 port of that OpenID configuration and JWKS (env KEYS_PORT; default 0)
  --media-duration-ms MS   how long each prompt or recording runs (env MEDIA_DURATION_MS; default 2000)
  --help                   show this help
`;

/** The settings of `graph-comms-mock simulate`, after flags and environment are read. */
export interface SimulateSettings {
  help: boolean;
  host: string;
  port: number;
  callbackUrl: string;
  appId?: string;
  keysPort: number;
  mediaDurationMs: number;
  warning?: string;
}

/** Reads the flags and environment of `graph-comms-mock simulate`; throws `InvalidArgumentError` naming the bad one. */
export function parseSimulateArgs(argv: readonly string[], env: NodeJS.ProcessEnv): SimulateSettings {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: Object.fromEntries(
        flags.map((f) => [f, { type: f === "help" ? "boolean" : "string" }]),
      ) as Record<string, { type: "string" | "boolean" }>,
    }));
  } catch (error) {
    throw flagError(error, command, flags);
  }
  const pick = (flag: string, variable: string) => {
    const given = values[flag];
    if (typeof given === "string") return { value: given, name: `--${flag}` };
    const fromEnv = env[variable];
    return fromEnv === undefined || fromEnv === "" ? undefined : { value: fromEnv, name: variable };
  };
  const host = pick("host", "HOST");
  const port = pick("port", "PORT");
  const callback = pick("callback-url", "CALLBACK_URL");
  const appId = pick("app-id", "APP_ID");
  const keysPort = pick("keys-port", "KEYS_PORT");
  const duration = pick("media-duration-ms", "MEDIA_DURATION_MS");
  if (appId !== undefined && appId.value.trim() === "") fail(appId.name, "must not be blank");
  if (keysPort !== undefined && appId === undefined)
    fail(keysPort.name, "serves the signing keys: give --app-id too");
  const mediaDurationMs = duration === undefined ? 2000 : Number(duration.value);
  if (
    duration !== undefined &&
    !(/^\d+$/.test(duration.value.trim()) && Number.isSafeInteger(mediaDurationMs))
  ) {
    fail(duration.name, `must be a whole number of milliseconds, got ${JSON.stringify(duration.value)}`);
  }
  const checked = callback ? checkCallbackUrl(callback.value, callback.name) : undefined;
  return {
    help: values.help === true,
    host: host ? checkHost(host.value, host.name) : "127.0.0.1",
    port: port ? checkPort(port.value, port.name) : 4010,
    callbackUrl: checked?.href ?? "http://127.0.0.1:3978/api/calls",
    ...(appId === undefined ? {} : { appId: appId.value.trim() }),
    keysPort: keysPort ? checkPort(keysPort.value, keysPort.name) : 0,
    mediaDurationMs,
    ...(checked?.warning ? { warning: checked.warning } : {}),
  };
}

/**
 * Runs `graph-comms-mock simulate` until Ctrl-C / SIGTERM / SIGHUP (then exits 0): prints its URL,
 * each request it answers and each notification it sends. Bad flags exit 2; a taken port exits 1.
 *
 * @example
 * process.exitCode = await runSimulateCli(["--port", "4010"], process.env);
 */
export async function runSimulateCli(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  io: MockCliIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) },
): Promise<number> {
  let settings: SimulateSettings;
  try {
    settings = parseSimulateArgs(argv, env);
  } catch (error) {
    if (!(error instanceof InvalidArgumentError)) throw error;
    io.err(`${command}: ${error.message}\n\n${simulateUsage}`);
    return 2;
  }
  if (settings.help) {
    io.out(simulateUsage);
    return 0;
  }
  if (settings.warning) io.err(`${command}: warning: ${settings.warning}\n`);
  const signals = io.stopSignal === undefined ? stopSignals() : undefined;
  const stop: Promise<unknown> = io.stopSignal ?? signals?.signal ?? new Promise(() => {});
  let signing: MockSigning | undefined;
  let simulator: RunningSimulator;
  try {
    signing =
      settings.appId === undefined ? undefined : await startMockSigning(settings.appId, settings.keysPort);
    simulator = await startSimulator({
      host: settings.host,
      port: settings.port,
      callbackUrl: settings.callbackUrl,
      mediaDurationMs: settings.mediaDurationMs,
      ...(signing === undefined ? {} : { notificationSigner: signing.keys }),
      onEvent: (line) => io.out(`${line}\n`),
    });
  } catch (error) {
    signals?.dispose();
    await signing?.close();
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") {
      io.err(`${command}: ${(error as Error).message}; choose another port with --port or --keys-port\n`);
      return 1;
    }
    throw error;
  }
  io.out(
    [
      `Graph simulator (MSW handlers over HTTP) is listening on ${simulator.url}`,
      `  (every path also under ${simulator.url}/beta and ${simulator.url}/v1.0, as Graph serves it)`,
      `Each prompt or recording runs ${settings.mediaDurationMs} ms, in order per call; a cancel ends the running and queued ones.`,
      `Notifications are POSTed to ${simulator.callbackUrl}`,
      ...signingLines(signing),
      "Press Ctrl-C to stop.",
      "",
    ].join("\n"),
  );
  await stop;
  signals?.dispose();
  await simulator.close();
  await signing?.close();
  io.out("Simulator stopped.\n");
  return 0;
}
