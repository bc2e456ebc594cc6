/** Local JSON pointers (RFC 6901) in the `#/a/b~1c` form of OpenAPI `$ref`s. */
import { percentDecode } from "./percent-decode.ts";

/** Escapes one key for use as a pointer segment (`~` → `~0`, `/` → `~1`). */
export function escapePointerKey(key: string): string {
  return key.replaceAll("~", "~0").replaceAll("/", "~1");
}

/**
 * The value at a local pointer (segments may be percent-encoded, as in a URI fragment), or
 * `undefined`; only own properties are followed, so `#/__proto__` finds nothing.
 */
export function readPointer(document: unknown, pointer: string): unknown {
  if (pointer !== "#" && !pointer.startsWith("#/")) {
    throw new Error(`only local JSON pointers ("#/...") are supported, got ${JSON.stringify(pointer)}`);
  }
  let node: unknown = document;
  for (const raw of pointer === "#" ? [] : pointer.slice(2).split("/")) {
    if (typeof node !== "object" || node === null) return undefined;
    const key = unescapeSegment(raw);
    if (key === undefined || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function unescapeSegment(raw: string): string | undefined {
  return percentDecode(raw)?.replaceAll("~1", "/").replaceAll("~0", "~");
}

/** Follows local `$ref`s to the first node that is not one; throws on a dangling or endless chain. */
export function followRefs(document: unknown, node: unknown): unknown {
  let current = node;
  for (let hops = 0; hops <= 32; hops++) {
    const ref =
      typeof current === "object" && current !== null ? (current as { $ref?: unknown }).$ref : undefined;
    if (typeof ref !== "string") return current;
    current = readPointer(document, ref);
    if (current === undefined) throw new Error(`$ref ${ref} points nowhere`);
  }
  throw new Error("$ref chain too long (a cycle?)");
}
