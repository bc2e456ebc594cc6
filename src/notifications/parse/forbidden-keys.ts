import { escapePointerKey } from "../../core/json-pointer.ts";

/**
 * What a notification body may not hold, whatever the schema says: keys that can pollute
 * prototypes, and nesting deeper than {@link maxBodyDepth}. Both walks are iterative, so a body
 * nested 450,000 levels deep (1 MiB of `[`) is refused without a stack overflow.
 */

/** Keys that can pollute prototypes when a parsed body is later merged or copied carelessly. */
const forbidden = new Set(["__proto__", "constructor", "prototype"]);

/**
 * The deepest nesting of objects and arrays a body may have; the batch itself is level 1, a
 * notification level 3, its `resourceData` level 4. The deepest body in Microsoft's docs reaches
 * level 8 (a roster update's participant identity). Why a limit at all: JSON.parse builds values
 * nested 450,000 levels deep from 1 MiB of text, and a user's logger or copy (`JSON.stringify`,
 * `structuredClone`, most deep-merge helpers) recurses and overflows the stack on them.
 */
export const maxBodyDepth = 32;

/** Where a body breaks a rule of this module: a JSON pointer below the body, and which rule. */
export interface ShapeProblem {
  /** JSON pointer of the forbidden key, or of the first value nested beyond {@link maxBodyDepth}. */
  at: string;
  problem: "forbidden key" | "too deep";
}

/** Reused by {@link hasForbiddenShape}: it runs for every notification body, so no stacks per call. */
const pending: unknown[] = [];
/** The depth of each entry of `pending` (1 for the body). */
const depths: number[] = [];
/** Stays empty: if `for...in` finds a key on it, `Object.prototype` has been given enumerable keys. */
const probe = {};

/**
 * Fast check of a value just made by `JSON.parse` (a tree: no cycles): does any object in it have
 * a key named `__proto__`, `constructor` or `prototype`, or does it nest objects and arrays more
 * than {@link maxBodyDepth} levels deep? Use {@link findForbiddenShape} to learn where, and for
 * values that may hold cycles.
 */
export function hasForbiddenShape(parsedJson: unknown): boolean {
  // for...in (cheaper than Object.keys) would also list keys someone added to Object.prototype.
  for (const _inherited in probe) return findForbiddenShape(parsedJson) !== undefined;
  if (typeof parsedJson !== "object" || parsedJson === null) return false;
  // Empty here: every walk ends with both emptied (also on an early return).
  pending.push(parsedJson);
  depths.push(1);
  while (pending.length > 0) {
    const node = pending.pop() as object;
    const below = (depths.pop() as number) + 1;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const item: unknown = node[i];
        if (typeof item === "object" && item !== null) {
          if (below > maxBodyDepth) return stop();
          pending.push(item);
          depths.push(below);
        }
      }
      continue;
    }
    for (const key in node) {
      if (key === "__proto__" || key === "constructor" || key === "prototype") return stop();
      const child = (node as Record<string, unknown>)[key];
      if (typeof child === "object" && child !== null) {
        if (below > maxBodyDepth) return stop();
        pending.push(child);
        depths.push(below);
      }
    }
  }
  return false;
}

function stop(): true {
  pending.length = 0;
  depths.length = 0;
  return true;
}

/**
 * Walks a JSON value (iteratively; shared and cyclic parts are revisited only when reached deeper
 * than before, so the walk ends after at most {@link maxBodyDepth} visits of each object) and
 * returns the first forbidden key (`__proto__`, `constructor`, `prototype`) or value nested beyond
 * {@link maxBodyDepth}, or `undefined` when there is none. A cycle is nested without end: too deep.
 */
export function findForbiddenShape(value: unknown): ShapeProblem | undefined {
  const stack: Array<{ node: unknown; path: string; depth: number }> = [{ node: value, path: "", depth: 1 }];
  const deepestVisit = new Map<object, number>();
  while (stack.length > 0) {
    const { node, path, depth } = stack.pop() as { node: unknown; path: string; depth: number };
    if (typeof node !== "object" || node === null) continue;
    if (depth > maxBodyDepth) return { at: path, problem: "too deep" };
    if ((deepestVisit.get(node) ?? 0) >= depth) continue;
    deepestVisit.set(node, depth);
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) {
        stack.push({ node: node[i], path: `${path}/${i}`, depth: depth + 1 });
      }
      continue;
    }
    for (const key of Object.keys(node)) {
      const where = `${path}/${escapePointerKey(key)}`;
      if (forbidden.has(key)) return { at: where, problem: "forbidden key" };
      stack.push({ node: (node as Record<string, unknown>)[key], path: where, depth: depth + 1 });
    }
  }
  return undefined;
}
