/**
 * `graph-comms-kit/redis`: the operation store that lets several bot instances share one
 * operation tracker through Redis (node-redis 6, the optional peer dependency `redis`).
 *
 * @example
 * import { createClient } from "redis";
 * import { createOperationTracker } from "graph-comms-kit/notifications";
 * import { createRedisOperationStore } from "graph-comms-kit/redis";
 *
 * const client = await createClient({ url: process.env.REDIS_URL }).on("error", console.warn).connect();
 * const tracker = createOperationTracker({ store: await createRedisOperationStore({ client }) });
 *
 * @packageDocumentation
 */

// Errors
export { StoreValueError } from "./errors.ts";
// The store
export {
  createRedisOperationStore,
  type RedisClientLike,
  type RedisOperationStore,
  type RedisOperationStoreOptions,
  type RedisSubscriberLike,
} from "./store.ts";
