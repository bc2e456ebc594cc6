import openapi from "../../generated/openapi.json" with { type: "json" };
import { escapePointerKey, followRefs } from "./json-pointer.ts";

/** The bundled spec, `generated/openapi.json`, as written by `npm run generate`, typed by its JSON. */
export const openapiDocument = openapi;

/** A JSON object of the bundled spec, read without a compile-time shape (the spec is data here). */
export type SpecNode = Record<string, unknown>;

export const specDocument: SpecNode = openapiDocument as unknown as SpecNode;

/** True for a non-null, non-array object. */
export function isSpecNode(value: unknown): value is SpecNode {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The `$ref` of a named `components.examples` entry, the name escaped as a JSON pointer needs. */
function exampleRef(name: string): string {
  return `#/components/examples/${escapePointerKey(name)}`;
}

/** The `components.examples` name a `{ $ref }` node points at (whatever characters the name holds). */
export function exampleNameOf(node: unknown, document: SpecNode = specDocument): string {
  const ref = isSpecNode(node) ? node.$ref : undefined;
  const examples = (document.components as SpecNode | undefined)?.examples;
  const name = isSpecNode(examples)
    ? Object.keys(examples).find((key) => exampleRef(key) === ref)
    : undefined;
  if (name === undefined)
    throw new Error(`spec: expected a $ref to components.examples, got ${JSON.stringify(node)}`);
  return name;
}

/** Follows a local `$ref` chain in the bundled spec to the object it ends at. */
export function resolveSpecRef(node: unknown, document: SpecNode = specDocument): SpecNode {
  const found = followRefs(document, node);
  if (!isSpecNode(found)) throw new Error(`spec: expected an object, got ${JSON.stringify(found)}`);
  return found;
}

/** A deep copy of a named example's value (`components.examples[name].value`), free to change. */
export function specExample(name: string): unknown {
  const example = resolveSpecRef({ $ref: exampleRef(name) });
  return structuredClone(example.value);
}

/** Same as {@link specExample}, for examples whose value is an object. */
export function specExampleObject(name: string): SpecNode {
  const value = specExample(name);
  if (!isSpecNode(value)) throw new Error(`spec: example ${name} is not an object`);
  return value;
}
