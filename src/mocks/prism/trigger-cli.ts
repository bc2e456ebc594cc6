import { parseArgs } from "node:util";
import { fail } from "../../core/check.ts";
import { InvalidArgumentError } from "../../core/errors.ts";
import { checkHttpUrl } from "../check-http-url.ts";
import { NotificationDeliveryError } from "../errors.ts";
import { deliver } from "../notification-delivery.ts";
import type { Contract } from "../spec-operations.ts";
import { type TriggerKind, type TriggerTarget, triggerBatch, triggerKinds } from "../trigger-batch.ts";
import { flagError } from "./cli-common.ts";
import type { MockCliIo } from "./mock-cli.ts";
import { triggerPath } from "./simulator.ts";

const command = "graph-comms-mock trigger";
const flags = ["to", "via", "token", "call-id", "operation-id", "action", "contract", "help"];

/** The help text of `graph-comms-mock trigger`. */
export const triggerUsage = `Usage: ${command} <${triggerKinds.join("|")}> [--via SIMULATOR_URL | --to URL [--token T]]
                                [--call-id ID] [--operation-id ID] [--action A] [--contract C]

Sends one commsNotifications batch, as Graph would, to a running bot (like \`stripe trigger\`):
  completed       the operation ran to its end (the spec's completed example of the action)
  failed          the operation failed (resultInfo 500)
  cancelled       a playPrompt or recordResponse cancelled by cancelMediaProcessing (failed, 400/8508)
  unknown-status  a status the spec does not list yet (unknownFutureValue): not final for a receiver

Options:
  --via URL          a running \`${command.replace(" trigger", " simulate")}\`: it sends the notification to its
                     callback URL, signed with its keys when it was started with --app-id
  --to URL           send it straight to this callback URL instead, unsigned (env CALLBACK_URL;
                     default http://127.0.0.1:3978/api/calls)
  --token T          with --to: send Authorization: Bearer T
  --call-id ID       the call (default 57dab8b1-894c-409a-b240-bd8beae78896)
  --operation-id ID  the operation (default a new GUID)
  --action A         playPrompt, recordResponse or cancelMediaProcessing (default playPrompt)
  --contract C       current or 2018-beta: which notification shape (default current)
  --help             show this help
`;

/** The settings of `graph-comms-mock trigger`. */
export interface TriggerSettings {
  help: boolean;
  kind: TriggerKind;
  target: TriggerTarget;
  via?: string;
  to: string;
  token?: string;
}

/** Reads the arguments of `graph-comms-mock trigger`; throws `InvalidArgumentError` naming the bad one. */
export function parseTriggerArgs(argv: readonly string[], env: NodeJS.ProcessEnv): TriggerSettings {
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: true,
      options: Object.fromEntries(
        flags.map((f) => [f, { type: f === "help" ? "boolean" : "string" }]),
      ) as Record<string, { type: "string" | "boolean" }>,
    });
  } catch (error) {
    throw flagError(error, command, flags);
  }
  const { values, positionals } = parsed;
  const text = (flag: string) => (typeof values[flag] === "string" ? (values[flag] as string) : undefined);
  if (values.help === true) {
    return { help: true, kind: "completed", target: {} as TriggerTarget, to: "" };
  }
  const [kind, ...rest] = positionals;
  if (kind === undefined) fail("kind", `is required: one of ${triggerKinds.join(", ")}`);
  if (!(triggerKinds as readonly string[]).includes(kind)) {
    fail("kind", `must be one of ${triggerKinds.join(", ")}, got ${JSON.stringify(kind)}`);
  }
  if (rest.length > 0) fail("arguments", `take one kind, got also ${JSON.stringify(rest.join(" "))}`);
  const contract = text("contract") ?? "current";
  if (contract !== "current" && contract !== "2018-beta") {
    fail("--contract", `must be "current" or "2018-beta", got ${JSON.stringify(contract)}`);
  }
  const via = text("via");
  if (via !== undefined && (text("to") !== undefined || text("token") !== undefined)) {
    fail("--via", "sends through the simulator (its callback URL, its keys): leave out --to and --token");
  }
  const to = text("to") ?? (env.CALLBACK_URL || "http://127.0.0.1:3978/api/calls");
  const token = text("token");
  return {
    help: false,
    kind: kind as TriggerKind,
    target: {
      callId: text("call-id") ?? "57dab8b1-894c-409a-b240-bd8beae78896",
      operationId: text("operation-id") ?? crypto.randomUUID(),
      action: text("action") ?? "playPrompt",
      contract: contract as Contract,
    },
    ...(via === undefined ? {} : { via: checkHttpUrl(via, "--via").href.replace(/\/+$/, "") }),
    to: checkHttpUrl(to, text("to") === undefined ? "CALLBACK_URL" : "--to").href,
    ...(token === undefined ? {} : { token }),
  };
}

/**
 * Runs `graph-comms-mock trigger`: sends one notification and prints what the bot answered. Exits 0
 * when the bot accepted it (2xx), 1 when it could not be delivered or was refused, 2 on bad arguments.
 *
 * @example
 * process.exitCode = await runTriggerCli(["completed", "--via", "http://127.0.0.1:4010"], process.env);
 */
export async function runTriggerCli(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  io: MockCliIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) },
): Promise<number> {
  let settings: TriggerSettings;
  try {
    settings = parseTriggerArgs(argv, env);
    if (!settings.help) triggerBatch(settings.kind, settings.target); // checks the action and contract
  } catch (error) {
    if (!(error instanceof InvalidArgumentError)) throw error;
    io.err(`${command}: ${error.message}\n\n${triggerUsage}`);
    return 2;
  }
  if (settings.help) {
    io.out(triggerUsage);
    return 0;
  }
  const about = `${settings.kind} ${settings.target.action} operation ${settings.target.operationId} of call ${settings.target.callId}`;
  if (settings.via !== undefined) {
    let answer: { delivered?: boolean; status?: number; error?: string };
    try {
      const response = await fetch(`${settings.via}${triggerPath}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ kind: settings.kind, ...settings.target }),
        signal: AbortSignal.timeout(15_000),
      });
      answer = (await response.json()) as typeof answer;
    } catch (error) {
      io.err(
        `${command}: no simulator answered at ${settings.via}: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      return 1;
    }
    if (answer.delivered !== true) {
      io.err(`${command}: the simulator could not deliver it: ${answer.error ?? "unknown error"}\n`);
      return 1;
    }
    io.out(`sent ${about} via ${settings.via}: the bot answered ${answer.status}\n`);
    return 0;
  }
  try {
    const batch = triggerBatch(settings.kind, settings.target);
    const delivery = await deliver(
      batch,
      { to: settings.to, ...(settings.token === undefined ? {} : { token: settings.token }) },
      "trigger",
    );
    io.out(
      `sent ${about} to ${settings.to}${settings.token ? "" : " (unsigned)"}: the bot answered ${delivery.status}\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof NotificationDeliveryError || error instanceof InvalidArgumentError) {
      io.err(`${command}: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
