/**
 * The parent's side of the multi-instance tests: starts `instance.ts` children, talks to them, and
 * sends them notifications the way Graph does (POST, redelivery after a 503).
 */
import { type ChildProcess, fork } from "node:child_process";
import { join } from "node:path";
import { operationBatch } from "../../support/notification-fixtures.ts";
import type { FromInstance, Ids, Outcome, ToInstance } from "./instance.ts";

export type { Ids, Outcome };

/** A running instance. */
export interface Instance {
  /** Its Redis client name (its subscriber's too). */
  name: string;
  /** `http://127.0.0.1:PORT` for a receiver. */
  origin: string;
  /** Every outcome a waiter reported, in order. */
  outcomes: Outcome[];
  send(message: ToInstance): void;
  /** The next message of `type` the instance sends. */
  next<T extends FromInstance["type"]>(type: T): Promise<Extract<FromInstance, { type: T }>>;
  /** Asks it to close its server, store and client, and waits for it to exit (kills it after 5 s). */
  stop(): Promise<void>;
}

const script = join(import.meta.dirname, "instance.ts");

/**
 * Forks `instance.ts` as `role` on `redisUrl` and `keyPrefix`, and resolves once it is ready.
 *
 * @example
 * const receiver = await startInstance("receiver", inject("redisUrl"), "test:x:");
 */
export async function startInstance(
  role: "receiver" | "waiter",
  redisUrl: string,
  keyPrefix: string,
): Promise<Instance> {
  const child: ChildProcess = fork(script, [role, redisUrl, keyPrefix], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const outcomes: Outcome[] = [];
  const waiting = new Map<string, (message: FromInstance) => void>();
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.on("message", (message: FromInstance) => {
    if (message.type === "settled") outcomes.push(...message.outcomes);
    waiting.get(message.type)?.(message);
    waiting.delete(message.type);
  });
  const next = <T extends FromInstance["type"]>(type: T) =>
    new Promise<Extract<FromInstance, { type: T }>>((resolve, reject) => {
      waiting.set(type, resolve as (message: FromInstance) => void);
      exited.then(() => reject(new Error(`instance ${role} exited while the test waited for "${type}"`)));
    });
  const ready = await next("ready");
  return {
    name: ready.name,
    origin: `http://127.0.0.1:${ready.port}`,
    outcomes,
    send: (message) => child.send(message),
    next,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.send({ type: "stop" } satisfies ToInstance);
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The status and Retry-After of one POST of a batch with each operation's final notification. */
export async function postNotifications(
  origin: string,
  operations: ReadonlyArray<Ids & { status: "completed" | "failed" }>,
): Promise<{ status: number; retryAfter: string | null }> {
  const response = await fetch(`${origin}/api/calls`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      value: operations.flatMap((operation) => operationBatch(operation.status, operation).value),
    }),
  });
  await response.arrayBuffer();
  return { status: response.status, retryAfter: response.headers.get("retry-after") };
}

/**
 * A seeded pseudo-random generator in [0, 1) (mulberry32), so that a failing run can be repeated.
 *
 * @example
 * const random = seededRandom(42); random(); // 0.6011037519201636
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
