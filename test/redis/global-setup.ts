import type { TestProject } from "vitest/node";
import { redisServerMissing, startRedisServer } from "../support/redis-server.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** URL of the redis-server the redis tests share, such as `redis://127.0.0.1:38211`. */
    redisUrl: string;
  }
}

/**
 * Vitest global setup of the `redis` project: starts Debian's `redis-server` once on a free
 * 127.0.0.1 port without persistence, provides its URL to the tests, and stops it afterwards. Tests
 * that restart Redis start their own with the same helper.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const missing = redisServerMissing();
  if (missing) {
    // One line, no stack: the fix is an install, not a code change.
    const error = new Error(missing);
    error.stack = `Error: ${missing}`;
    throw error;
  }
  const redis = await startRedisServer();
  project.provide("redisUrl", redis.url);
  return () => redis.close();
}
