import { createHash } from "node:crypto";
import { ErrorReply } from "redis";
import { checkNumber, checkRecord, checkType, fail } from "../core/check.ts";
import {
  isFinalOperation,
  type OperationNotification,
  type OperationStore,
  type OperationStoreListener,
  operationKey,
  parseCommsNotifications,
  StoreUnavailableError,
} from "../notifications/index.ts";
import { StoreValueError } from "./errors.ts";

/** The store's subscriber connection (from `client.duplicate()`), as far as the store calls it. */
export interface RedisSubscriberLike {
  connect(): Promise<unknown>;
  subscribe(channel: string, listener: (message: string, channel: string) => void): Promise<void>;
  on(event: "error", listener: (error: Error) => void): unknown;
  on(event: "ready", listener: () => void): unknown;
  close(): Promise<unknown>;
  destroy(): unknown;
}

/** A connected node-redis 6 client, described by what the store calls so every generic variant fits. */
export interface RedisClientLike {
  readonly isReady: boolean;
  sendCommand(args: string[], options?: { timeout?: number }): Promise<unknown>;
  duplicate(): RedisSubscriberLike;
  on(event: "ready", listener: () => void): unknown;
  off(event: "ready", listener: () => void): unknown;
}

/** Options of {@link createRedisOperationStore}. */
export interface RedisOperationStoreOptions {
  /**
   * A connected node-redis 6 client, with an `error` listener (node-redis requires one) and its
   * reconnect strategy on; the store subscribes on `client.duplicate()`.
   */
  client: RedisClientLike;
  /**
   * Prepended to every key, and the channel on which stores announce new keys: one per bot.
   * @default "graph-comms-kit:operation:"
   */
  keyPrefix?: string;
  /**
   * How long a notification is kept, in ms (Redis expires the key).
   * @default 600000 (10 minutes, as the memory store)
   */
  ttlMs?: number;
  /**
   * How long Redis may leave every command unanswered, in ms, before the store fails them as unreachable.
   * @default 2000
   */
  commandTimeoutMs?: number;
}

/** The Redis {@link OperationStore}: shared by every instance that uses the same Redis and prefix. */
export interface RedisOperationStore extends OperationStore {
  /** Tells `listener` of every key any instance records on this prefix, and of reconnections. */
  subscribe(listener: OperationStoreListener): () => void;
  /** Disconnects the store's subscriber (the client passed in stays open). Idempotent. */
  close(): Promise<void>;
}

/**
 * Set-if-absent with a TTL, then the announcement to every instance, in one atomic step, so a
 * notification that reaches two instances is recorded and announced once. The announcement is the
 * key alone: only an instance that waits for it reads the value (see bench/README.md).
 */
const addScript = `if redis.call("SET", KEYS[1], ARGV[1], "NX", "PX", ARGV[2]) then
  redis.call("PUBLISH", ARGV[3], KEYS[1])
  return 1
end
return 0`;
const addScriptSha = createHash("sha1").update(addScript).digest("hex");

/**
 * Reply errors that say the server cannot serve now (loading its data after a restart, a busy
 * script, a replica that lost its primary...), as opposed to a fault of the command or the data.
 */
const unavailableReplies = /^(?:LOADING|BUSY|MASTERDOWN|READONLY|TRYAGAIN|CLUSTERDOWN|OOM)\b/;

/**
 * Creates an {@link OperationStore} on Redis, so that several bot instances share one operation
 * tracker: a notification reaching any instance settles `wait()` on every instance, once, even if it
 * arrived before `wait()`. Resolves once the store's subscriber listens. While Redis is unreachable,
 * `add` and `get` reject with `StoreUnavailableError` (the receiver answers 503 and Graph redelivers).
 *
 * @example
 * const client = createClient({ url: process.env.REDIS_URL });
 * client.on("error", (error) => console.warn("redis:", error.message));
 * await client.connect();
 * const tracker = createOperationTracker({ store: await createRedisOperationStore({ client }) });
 */
export async function createRedisOperationStore(
  options: RedisOperationStoreOptions,
): Promise<RedisOperationStore> {
  const { client, keyPrefix, ttl, commandTimeoutMs } = readOptions(options);
  const listeners = new Set<OperationStoreListener>();
  const resync = () => {
    for (const listener of listeners) listener.resync();
  };

  const subscriber = client.duplicate();
  // Failures surface as rejected `add`/`get` calls; node-redis throws unheard `error` events.
  subscriber.on("error", () => {});
  let deadline: ReturnType<typeof setTimeout> | undefined;
  try {
    // node-redis retries a connection for ever: a Redis that goes away now would hang the caller.
    const late = new Promise<never>((_, reject) => {
      deadline = setTimeout(
        () => reject(new Error(`no answer within ${commandTimeoutMs} ms`)),
        commandTimeoutMs,
      );
    });
    await Promise.race([
      (async () => {
        await subscriber.connect();
        await subscriber.subscribe(keyPrefix, (message) => announce(message));
      })(),
      late,
    ]);
  } catch (cause) {
    subscriber.destroy();
    throw new StoreUnavailableError(`could not subscribe to Redis channel ${keyPrefix}: ${why(cause)}`, {
      cause,
    });
  } finally {
    clearTimeout(deadline);
  }
  // From now on `ready` means "reconnected": waits look their keys up again, as a missed
  // announcement's value is in Redis.
  subscriber.on("ready", resync);
  client.on("ready", resync);

  function announce(fullKey: string): void {
    if (!fullKey.startsWith(keyPrefix)) return;
    const key = fullKey.slice(keyPrefix.length);
    for (const listener of listeners) listener.added(key);
  }

  const { send, stop } = createSender(client, commandTimeoutMs);

  let closed: Promise<void> | undefined;
  return {
    add(key, notification) {
      const args = [keyPrefix + key, JSON.stringify(notification), ttl, keyPrefix];
      // Plain promise code, not async/await: this runs once per notification.
      return send(["EVALSHA", addScriptSha, "1", ...args]).then(
        (reply) => reply === 1,
        (error: unknown) => {
          // Redis forgets scripts when it restarts: EVAL runs the script and caches it again.
          if (!(error instanceof ErrorReply && error.message.startsWith("NOSCRIPT"))) throw error;
          return send(["EVAL", addScript, "1", ...args]).then((reply) => reply === 1);
        },
      );
    },
    async get(key) {
      const fullKey = keyPrefix + key;
      let value: unknown;
      try {
        value = await send(["GET", fullKey]);
      } catch (error) {
        if (error instanceof ErrorReply && error.message.startsWith("WRONGTYPE")) {
          throw new StoreValueError(fullKey, "holds another type of value than a string", { cause: error });
        }
        throw error;
      }
      if (value === null || value === undefined) return undefined;
      return decode(fullKey, key, String(value));
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    close() {
      closed ??= (async () => {
        stop();
        client.off("ready", resync);
        listeners.clear();
        try {
          await subscriber.close();
        } catch {
          subscriber.destroy();
        }
      })();
      return closed;
    },
  };
}

/**
 * Sends commands on `client`; each fails with StoreUnavailableError when Redis cannot answer it:
 * the client is not connected, the connection breaks, or Redis leaves every command unanswered for
 * `timeoutMs` (hung, or a network that drops packets). One watchdog timer serves all commands,
 * cheaper than node-redis's own timeout per command (an AbortSignal each), which is turned off.
 */
function createSender(client: RedisClientLike, timeoutMs: number) {
  // The reject functions of the commands not answered yet, for the watchdog to fail them.
  const pending = new Set<(error: Error) => void>();
  let answered = 0;
  let lastAnswered = 0;
  let quietMs = 0;
  const tickMs = Math.max(1, Math.ceil(timeoutMs / 4));
  const watchdog = setInterval(() => {
    quietMs = pending.size > 0 && answered === lastAnswered ? quietMs + tickMs : 0;
    lastAnswered = answered;
    if (quietMs < timeoutMs) return;
    quietMs = 0;
    const error = new StoreUnavailableError(`Redis is unreachable: no answer for ${timeoutMs} ms`);
    for (const reject of pending) reject(error);
    pending.clear();
  }, tickMs);
  watchdog.unref();

  return {
    send(args: string[]): Promise<unknown> {
      if (!client.isReady) {
        return Promise.reject(
          new StoreUnavailableError("Redis is unreachable: the client is not connected (reconnecting?)"),
        );
      }
      return new Promise((resolve, reject) => {
        pending.add(reject);
        client.sendCommand(args, noTimeout).then(
          (reply) => {
            pending.delete(reject);
            answered++;
            resolve(reply);
          },
          (cause: unknown) => {
            pending.delete(reject);
            answered++;
            if (cause instanceof ErrorReply && !unavailableReplies.test(cause.message)) reject(cause);
            else reject(new StoreUnavailableError(`Redis is unreachable: ${why(cause)}`, { cause }));
          },
        );
      });
    },
    stop: () => clearInterval(watchdog),
  };
}

/** node-redis's command options for "no timeout of your own" (0 turns it off). */
const noTimeout = { timeout: 0 };

/**
 * The notification stored as `text` under `fullKey`: JSON of a final operation notification whose
 * `raw` passes the spec's checks again and names the operation of `key`.
 */
function decode(fullKey: string, key: string, text: string): OperationNotification {
  let stored: unknown;
  try {
    stored = JSON.parse(text);
  } catch {
    throw new StoreValueError(fullKey, `holds a value that is not JSON: ${preview(text)}`);
  }
  const { kind, status, raw } = (typeof stored === "object" && stored !== null ? stored : {}) as Partial<
    Record<string, unknown>
  >;
  if (kind !== "operation" || typeof raw !== "object" || raw === null) {
    throw new StoreValueError(fullKey, `holds JSON that is not an operation notification: ${preview(text)}`);
  }
  let notification: OperationNotification;
  try {
    const [parsed] = parseCommsNotifications({ value: [raw] });
    if (!parsed || !isFinalOperation(parsed)) throw new Error("not a final operation notification");
    notification = parsed;
  } catch (cause) {
    throw new StoreValueError(fullKey, `holds a notification that fails validation: ${why(cause)}`, {
      cause,
    });
  }
  if (operationKey(notification.callId, notification.operationId) !== key || notification.status !== status) {
    throw new StoreValueError(
      fullKey,
      `holds the notification of another operation or status (operation ${notification.operationId} of call ${notification.callId}, ${notification.status})`,
    );
  }
  return notification;
}

function readOptions(options: RedisOperationStoreOptions): {
  client: RedisClientLike;
  keyPrefix: string;
  ttl: string;
  commandTimeoutMs: number;
} {
  checkRecord("options", options, ["client", "keyPrefix", "ttlMs", "commandTimeoutMs"]);
  const { client } = options;
  if (
    typeof client !== "object" ||
    client === null ||
    typeof client.sendCommand !== "function" ||
    typeof client.duplicate !== "function"
  ) {
    fail("options.client", "must be a node-redis client (createClient from the redis package)");
  }
  if (!client.isReady) fail("options.client", "must be connected first: await client.connect()");
  const keyPrefix = checkType<string>(
    "options.keyPrefix",
    options.keyPrefix ?? "graph-comms-kit:operation:",
    "string",
  );
  if (keyPrefix === "") fail("options.keyPrefix", "must not be empty");
  const ttlMs = checkNumber("options.ttlMs", options.ttlMs ?? 10 * 60 * 1000, 1, true);
  const commandTimeoutMs = checkNumber(
    "options.commandTimeoutMs",
    options.commandTimeoutMs ?? 2_000,
    1,
    true,
  );
  return { client, keyPrefix, ttl: String(ttlMs), commandTimeoutMs };
}

function why(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function preview(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}
