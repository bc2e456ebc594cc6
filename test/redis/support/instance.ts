/**
 * One bot instance for the multi-instance tests, run as a child process (`fork`, IPC), with its own
 * Redis client and store on the prefix it is given:
 * - `receiver <redisUrl> <keyPrefix>`: the notification handler (auth off) on a 127.0.0.1 port,
 *   feeding a tracker; reports its port, then on request what `handle()` answered and what it logged;
 * - `waiter <redisUrl> <keyPrefix>`: waits for the operations the parent names and reports each
 *   outcome as it settles.
 * Messages are {@link ToInstance} and {@link FromInstance}.
 */
import { createServer } from "node:http";
import { createClient } from "redis";
import { OperationFailedError } from "../../../src/notifications/errors.ts";
import { createNotificationHandler } from "../../../src/notifications/receive/handler.ts";
import { toNodeListener } from "../../../src/notifications/receive/node-adapter.ts";
import { createOperationTracker, type HandleResult } from "../../../src/notifications/track/tracker.ts";
import { createRedisOperationStore } from "../../../src/redis/index.ts";

/** An operation's ids, as the parent names them. */
export interface Ids {
  callId: string;
  operationId: string;
}

/** How one wait() ended: its ids, and `completed`, `failed` or another error's name and message. */
export interface Outcome extends Ids {
  outcome: string;
}

export type ToInstance =
  | { type: "wait"; operations: Ids[]; timeoutMs: number }
  | { type: "report" }
  | { type: "stop" };

export type FromInstance =
  | { type: "ready"; port: number; name: string }
  | { type: "waiting"; count: number }
  | { type: "settled"; outcomes: Outcome[] }
  | { type: "report"; handled: Record<HandleResult, number>; logged: string[]; waiting: number };

const [role, url, keyPrefix] = process.argv.slice(2);
if ((role !== "receiver" && role !== "waiter") || !url || !keyPrefix) {
  throw new Error("usage: instance.ts receiver|waiter <redisUrl> <keyPrefix>");
}
const send = (message: FromInstance) => process.send?.(message);
const name = `${role}-${process.pid}`;

// The name lets the parent find this instance's connections (CLIENT LIST); the subscriber inherits it.
const client = createClient({ url, name });
client.on("error", () => {});
await client.connect();
const store = await createRedisOperationStore({ client, keyPrefix });
const tracker = createOperationTracker({ store });
const handled: Record<HandleResult, number> = { delivered: 0, stored: 0, duplicate: 0, ignored: 0 };
const logged: string[] = [];

let port = 0;
let stopServer = async () => {};
if (role === "receiver") {
  const handle = createNotificationHandler({
    appId: "multi-instance-test",
    auth: false,
    logger: { warn: () => {}, error: (message) => logged.push(message) },
    onNotification: async (notification) => {
      handled[await tracker.handle(notification)]++;
    },
  });
  const server = createServer(toNodeListener(handle));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  port = typeof address === "object" && address ? address.port : 0;
  stopServer = () => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(() => resolve()));
  };
}

// Outcomes go to the parent in batches: one IPC message per settled wait would cost more than the wait.
let outcomes: Outcome[] = [];
let flushing = false;
function settled(outcome: Outcome): void {
  outcomes.push(outcome);
  if (flushing) return;
  flushing = true;
  setTimeout(() => {
    flushing = false;
    send({ type: "settled", outcomes });
    outcomes = [];
  }, 20);
}

process.on("message", async (message: ToInstance) => {
  if (message.type === "wait") {
    for (const ids of message.operations) {
      tracker.wait(ids, { timeoutMs: message.timeoutMs }).then(
        (notification) => settled({ ...ids, outcome: notification.status ?? "no status" }),
        (error: unknown) =>
          settled({
            ...ids,
            outcome:
              error instanceof OperationFailedError
                ? "failed"
                : `${(error as Error).name}: ${(error as Error).message}`,
          }),
      );
    }
    send({ type: "waiting", count: tracker.waiting });
  } else if (message.type === "report") {
    send({ type: "report", handled, logged, waiting: tracker.waiting });
  } else {
    await stopServer();
    await store.close();
    client.destroy();
    process.disconnect();
  }
});

send({ type: "ready", port, name });
