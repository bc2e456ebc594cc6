import { escapePointerKey } from "../core/json-pointer.ts";

/** Keys that can pollute prototypes when a parsed body is later merged or copied carelessly. */
const forbidden = new Set(["__proto__", "constructor", "prototype"]);

/** Reused by {@link hasForbiddenKey}: it runs for every notification body, so no stack per call. */
const pending: unknown[] = [];
/** Stays empty: if `for...in` finds a key on it, `Object.prototype` has been given enumerable keys. */
const probe = {};

/**
 * Fast check of a value just made by `JSON.parse` (a tree: no cycles): does any object in it have
 * a key named `__proto__`, `constructor` or `prototype`? Iterative, so deep nesting cannot overflow
 * the stack. Use {@link findForbiddenKey} to learn where the key is, and for values that may hold cycles.
 *
 * @example
 * hasForbiddenKey(JSON.parse('{"a":[{"__proto__":{}}]}')); // true
 */
export function hasForbiddenKey(parsedJson: unknown): boolean {
  // for...in (cheaper than Object.keys) would also list keys someone added to Object.prototype.
  for (const _inherited in probe) return findForbiddenKey(parsedJson) !== undefined;
  pending.push(parsedJson); // empty here: every walk ends with it empty (emptied on early return)
  while (pending.length > 0) {
    const node = pending.pop();
    if (typeof node !== "object" || node === null) continue;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const item: unknown = node[i];
        if (typeof item === "object" && item !== null) pending.push(item);
      }
      continue;
    }
    for (const key in node) {
      if (key === "__proto__" || key === "constructor" || key === "prototype") {
        pending.length = 0;
        return true;
      }
      const child = (node as Record<string, unknown>)[key];
      if (typeof child === "object" && child !== null) pending.push(child);
    }
  }
  return false;
}

/**
 * Walks a JSON value (iteratively, so deep nesting cannot overflow the stack; cycles are visited
 * once) and returns the JSON path of the first key named `__proto__`, `constructor` or `prototype`,
 * or `undefined` when there is none.
 *
 * @example
 * findForbiddenKey(JSON.parse('{"a":[{"__proto__":{}}]}')); // "/a/0/__proto__"
 */
export function findForbiddenKey(value: unknown): string | undefined {
  const stack: Array<{ node: unknown; path: string }> = [{ node: value, path: "" }];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const { node, path } = stack.pop() as { node: unknown; path: string };
    if (typeof node !== "object" || node === null || seen.has(node)) continue;
    seen.add(node);
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) stack.push({ node: node[i], path: `${path}/${i}` });
      continue;
    }
    for (const key of Object.keys(node)) {
      const where = `${path}/${escapePointerKey(key)}`;
      if (forbidden.has(key)) return where;
      stack.push({ node: (node as Record<string, unknown>)[key], path: where });
    }
  }
  return undefined;
}
