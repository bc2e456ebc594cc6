/**
 * `npx tsx bench/notification-bounds.ts` (also the last rows of `npm run bench:notifications`): the
 * receiver's bounded work on hostile input, measured in one run against a baseline.
 *
 * 1. Refusing 1 MiB hostile bodies with parseCommsNotifications, against JSON.parse of the same
 *    text (which every refusal pays first). Target: each refusal well under 100 ms. Before the
 *    bounds, 18,395 items `{"resourceData":1}` blocked the event loop 12.1 s (issue 12, row 1).
 * 2. `add()` on a full memory operation store (each add evicts the oldest entry) at 10,000 and
 *    100,000 entries, against `Map.set` on a map of the same size. Target: the 100k/10k ratio near
 *    1 (constant work per add); before the queue it was 152 µs / 26 µs, about 6x.
 */

import { InvalidNotificationError } from "../src/notifications/errors.ts";
import type { OperationNotification } from "../src/notifications/parse/notification.ts";
import { parseCommsNotifications } from "../src/notifications/parse/parse.ts";
import { createMemoryOperationStore } from "../src/notifications/track/operation-store.ts";
import { median } from "./stats.ts";

const mebibyte = 1024 * 1024;
const trials = 7;

/** A batch of `item` repeated to fill 1 MiB of JSON text. */
function batchOf(item: string): string {
  const count = Math.floor((mebibyte - 12) / (item.length + 1));
  return `{"value":[${Array(count).fill(item).join(",")}]}`;
}

/** A 1,000-item batch (the spec's maximum) whose items share out 1 MiB: each an invalid list of ones. */
function maxItemsOfOnes(): string {
  const ones = Array(Math.floor(mebibyte / 1_000 / 2) - 10)
    .fill("1")
    .join(",");
  return `{"value":[${Array(1_000).fill(`{"resourceData":[${ones}]}`).join(",")}]}`;
}

const hostile: Array<[string, string]> = [
  ['18,395 items {"resourceData":1} (issue row 1)', batchOf('{"resourceData":1}')],
  ["349,000 items {}", batchOf("{}")],
  ["1,000 items, each ~500 invalid values", maxItemsOfOnes()],
  [
    "1 notification, resourceData of 349k numbers",
    `{"value":[{"changeType":"updated","resourceUrl":"/x","resourceData":[${Array(349_000).fill("1").join(",")}]}]}`,
  ],
  [
    "450,000 levels of nesting in resourceData",
    `{"value":[{"changeType":"updated","resourceUrl":"/x","resourceData":${"[".repeat(450_000)}${"]".repeat(450_000)}}]}`,
  ],
];

function timeMs(run: () => void): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

function refuse(text: string): void {
  try {
    parseCommsNotifications(text);
  } catch (error) {
    if (error instanceof InvalidNotificationError) return;
    throw error;
  }
  throw new Error("bench: a hostile body was accepted");
}

/** Row 1: each hostile body refused, median of `trials`, against JSON.parse of the same text. */
export function hostileRefusals(): void {
  console.log(`hostile 1 MiB bodies refused, median of ${trials} trials (Node ${process.version})`);
  for (const [label, text] of hostile) {
    refuse(text); // warm-up (JIT, ajv compilation)
    const parse: number[] = [];
    const refusal: number[] = [];
    for (let t = 0; t < trials; t++) {
      parse.push(timeMs(() => JSON.parse(text)));
      refusal.push(timeMs(() => refuse(text)));
    }
    const ratios = refusal.map((ms, t) => ms / (parse[t] as number));
    console.log(
      `  ${label.padEnd(48)}${median(refusal).toFixed(1).padStart(7)} ms   ${median(ratios).toFixed(2)}x JSON.parse (${median(parse).toFixed(1)} ms), target < 100 ms`,
    );
  }
}

/** ns per `add()` on a full store of `entries` (every add evicts one), and per `Map.set` + `delete` on a map that size. */
function addOnFullStore(entries: number, adds: number, n: OperationNotification): [number, number] {
  const store = createMemoryOperationStore({ maxEntries: entries });
  const map = new Map<string, OperationNotification>();
  for (let i = 0; i < entries; i++) {
    store.add(`fill${i}`, n);
    map.set(`fill${i}`, n);
  }
  const keys = Array.from({ length: adds }, (_, i) => `more${i}`);
  const storeMs = timeMs(() => {
    for (const key of keys) store.add(key, n);
  });
  const mapMs = timeMs(() => {
    for (let i = 0; i < adds; i++) {
      map.set(keys[i] as string, n);
      map.delete(i < entries ? `fill${i}` : (keys[i - entries] as string));
    }
  });
  return [(storeMs * 1e6) / adds, (mapMs * 1e6) / adds];
}

/** Row 2: add() at 10,000 and 100,000 entries, each against a plain map's set + delete. */
export function memoryStoreAdds(): void {
  const [n] = parseCommsNotifications(
    '{"value":[{"changeType":"deleted","resourceUrl":"/communications/calls/57dab8b1-894c-409a-b240-bd8beae78896/operations/0fe0623f-d628-42ed-b4bd-8ac290072cc5","resourceData":{"status":"completed","clientContext":"c"}}]}',
  );
  if (n?.kind !== "operation") throw new Error("bench: no operation notification");
  const adds = 100_000;
  addOnFullStore(10_000, adds, n); // warm-up
  const small: Array<[number, number]> = [];
  const large: Array<[number, number]> = [];
  for (let t = 0; t < trials; t++) {
    small.push(addOnFullStore(10_000, adds, n));
    large.push(addOnFullStore(100_000, adds, n));
  }
  const at = (runs: Array<[number, number]>, i: 0 | 1) => median(runs.map((r) => r[i]));
  const ratio = small.map((r, t) => (large[t] as [number, number])[0] / r[0]);
  console.log(`memory store add() on a full store (each add evicts), median of ${trials} trials`);
  for (const [label, runs] of [
    ["10,000 entries", small],
    ["100,000 entries", large],
  ] as const) {
    console.log(
      `  ${label.padEnd(48)}${at(runs, 0).toFixed(0).padStart(7)} ns/add   ${(at(runs, 0) / at(runs, 1)).toFixed(2)}x Map.set+delete (${at(runs, 1).toFixed(0)} ns)`,
    );
  }
  const mapRatio = small.map((r, t) => (large[t] as [number, number])[1] / r[1]);
  console.log(
    `  ${"100k / 10k".padEnd(48)}${median(ratio).toFixed(2).padStart(7)}x         target ~1 (constant work per add); Map.set+delete alone ${median(mapRatio).toFixed(2)}x (cache misses)`,
  );
}

// Run on its own (`npx tsx bench/notification-bounds.ts`); bench/notifications.ts imports it for its last rows.
if (import.meta.url === `file://${process.argv[1]}`) {
  hostileRefusals();
  memoryStoreAdds();
}
