import { openapiDocument } from "../src/spec-validator.ts";

/** A JSON object of the bundled spec, read without a compile-time shape (the spec is data here). */
export type SpecNode = Record<string, unknown>;

/** The bundled spec (`generated/openapi.json`) as plain JSON data. */
export const specDocument: SpecNode = openapiDocument as unknown as SpecNode;

/** True for a non-null, non-array object. */
export function isSpecNode(value: unknown): value is SpecNode {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Follows a local `$ref` chain (`#/components/...`) in the bundled spec until it reaches a node
 * that is not a reference.
 *
 * @example
 * resolveSpecRef({ $ref: "#/components/examples/currentRequest" }); // { summary, value: {...} }
 */
export function resolveSpecRef(node: unknown, document: SpecNode = specDocument): SpecNode {
  let current = node;
  for (let hops = 0; hops < 32; hops++) {
    if (!isSpecNode(current)) throw new Error(`spec: expected an object, got ${JSON.stringify(current)}`);
    const ref = current.$ref;
    if (typeof ref !== "string") return current;
    current = pointerGet(document, ref);
  }
  throw new Error("spec: $ref chain too long");
}

/**
 * Reads the node at a local JSON pointer (`#/a/b~1c`).
 *
 * @example
 * pointerGet(specDocument, "#/components/schemas/odataError");
 */
export function pointerGet(document: SpecNode, pointer: string): unknown {
  if (!pointer.startsWith("#")) throw new Error(`spec: only local references are supported, got ${pointer}`);
  let current: unknown = document;
  for (const raw of pointer.slice(1).split("/").slice(1)) {
    const key = decodeURIComponent(raw).replaceAll("~1", "/").replaceAll("~0", "~");
    if (!isSpecNode(current) || !(key in current)) throw new Error(`spec: nothing at ${pointer}`);
    current = current[key];
  }
  return current;
}

/**
 * A fresh deep copy of a named example's value (`components.examples[name].value`), so callers may
 * change it freely.
 *
 * @example
 * specExample("currentOperation"); // { "@odata.type": "#microsoft.graph.cancelMediaProcessingOperation", ... }
 */
export function specExample(name: string): unknown {
  const example = resolveSpecRef({ $ref: `#/components/examples/${name}` });
  return structuredClone(example.value);
}

/** Same as {@link specExample}, for examples whose value is an object. */
export function specExampleObject(name: string): SpecNode {
  const value = specExample(name);
  if (!isSpecNode(value)) throw new Error(`spec: example ${name} is not an object`);
  return value;
}
