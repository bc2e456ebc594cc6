/**
 * A bot process for the shutdown tests, set up as README's "Shut down gracefully" shows: a server
 * with the notification middleware, a tracker with a pending wait, and, given a Redis URL as its
 * argument, the Redis store. It prints `listening <port>`, then on SIGTERM closes everything and
 * prints what the pending wait ended with; it exits only if nothing is left holding the event loop.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createClient } from "redis";
import {
  createNodeMiddleware,
  createOperationTracker,
  type OperationStore,
} from "../../src/notifications/index.ts";
import { createRedisOperationStore, type RedisOperationStore } from "../../src/redis/index.ts";

const redisUrl = process.argv[2];
const redis = redisUrl ? createClient({ url: redisUrl }) : undefined;
let store: RedisOperationStore | undefined;
if (redis) {
  redis.on("error", (error: Error) => console.warn("redis:", error.message));
  await redis.connect();
  store = await createRedisOperationStore({ client: redis, keyPrefix: `shutdown-test:${process.pid}:` });
}

const tracker = createOperationTracker({
  timeoutMs: 600_000,
  ...(store ? { store: store as OperationStore } : {}),
});
const logger = { warn: () => {}, error: console.error };
const server = createServer(
  createNodeMiddleware({ appId: "app", auth: false, logger, onNotification: tracker.handle }),
);
const pending = tracker
  .wait({
    callId: "57dab8b1-894c-409a-b240-bd8beae78896",
    operationId: "0fe0623f-d628-42ed-b4bd-8ac290072cc5",
  })
  .then(
    (outcome) => `wait: ${outcome.status}`,
    (error: Error) => `wait: ${error.name}`,
  );

process.once("SIGTERM", async () => {
  server.close(); // stops accepting; idle keep-alive connections are closed, requests in flight finish
  await tracker.close(); // pending waits reject with TrackerClosedError, their timers are cleared
  await store?.close(); // the store's subscriber connection
  await redis?.close(); // your client: the store leaves it to you
  console.log(await pending);
  console.log("closed");
});

server.listen(0, "127.0.0.1", () => console.log(`listening ${(server.address() as AddressInfo).port}`));
