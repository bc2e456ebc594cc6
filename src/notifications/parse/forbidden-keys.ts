import { escapePointerKey } from "../../core/json-pointer.ts";

/** Keys that can pollute prototypes when a parsed body is later merged or copied carelessly; walks are iterative. */
const forbidden = new Set(["__proto__", "constructor", "prototype"]);

/**
 * The deepest nesting a body may have (the batch is level 1; the deepest body in Microsoft's docs,
 * a roster update, reaches 8): deeper values would overflow a user's recursive logger or copy.
 */
export const maxBodyDepth = 32;

/** Where a body breaks a rule of this module: a JSON pointer below the body, and which rule. */
export interface ShapeProblem {
  /** JSON pointer of the forbidden key, or of the first value nested beyond {@link maxBodyDepth}. */
  at: string;
  problem: "forbidden key" | "too deep";
}

/** Reused by {@link hasForbiddenShape}, which runs for every body. */
const pending: unknown[] = [];
const depths: number[] = [];
/** Stays empty: a key `for...in` finds on it was added to `Object.prototype`. */
const probe = {};

/** Fast check of a fresh `JSON.parse` value for a forbidden key or nesting beyond {@link maxBodyDepth}. */
export function hasForbiddenShape(parsedJson: unknown): boolean {
  // for...in is cheaper than Object.keys, but lists inherited keys: take the slow walk if there are any.
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
 * The first forbidden key or value nested beyond {@link maxBodyDepth} in a JSON value, or
 * `undefined`; shared parts are revisited only when reached deeper, and a cycle counts as too deep.
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
