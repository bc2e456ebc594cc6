/** Keys that can pollute prototypes when a parsed body is later merged or copied carelessly. */
const forbidden = new Set(["__proto__", "constructor", "prototype"]);

/**
 * Cheap test on raw JSON text: `false` means the text cannot hold a forbidden key, so the parsed
 * value need not be walked. (`\u` escapes could spell one, so they count as "maybe".)
 */
export function mayHoldForbiddenKey(text: string): boolean {
  // "proto" covers both "__proto__" and "prototype".
  return text.includes("proto") || text.includes("constructor") || text.includes("\\u");
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
      const where = `${path}/${escapePointer(key)}`;
      if (forbidden.has(key)) return where;
      stack.push({ node: (node as Record<string, unknown>)[key], path: where });
    }
  }
  return undefined;
}

function escapePointer(key: string): string {
  return key.replaceAll("~", "~0").replaceAll("/", "~1");
}
