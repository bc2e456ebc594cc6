/** Bounded concurrency for load in tests and benches: N tasks in flight at most. */

/**
 * Runs `task` over `items` with at most `limit` in flight, in order of start.
 *
 * @example
 * await inFlight(operations, 32, (op) => postNotification(origin, op, "completed"));
 */
export async function inFlight<T>(items: readonly T[], limit: number, task: (item: T) => Promise<unknown>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
