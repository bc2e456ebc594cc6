/**
 * Finds every example in an OpenAPI document (media types, headers, parameters, whether given as
 * `example` or as `examples` entries, inline or by `$ref`) together with the JSON pointer of the
 * schema it must satisfy.
 */

import { escapePointerKey, readPointer } from "../../src/core/json-pointer.ts";

export interface SpecExample {
  /** JSON pointer of the object that carries the example. */
  where: string;
  /** Name of the `examples` entry, or "example" for a single `example`. */
  name: string;
  /** JSON pointer of the schema the example must validate against (`$ref`s followed). */
  schemaPointer: string;
  /** `$ref` of the example, when the example is a reference to `components.examples`. */
  ref?: string;
  value: unknown;
}

type Node = Record<string, unknown>;

function isNode(value: unknown): value is Node {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function collectExamples(doc: Node): SpecExample[] {
  const found: SpecExample[] = [];
  const visit = (node: unknown, pointer: string): void => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => {
        visit(item, `${pointer}/${i}`);
      });
      return;
    }
    if (!isNode(node)) return;
    const schema = node.schema;
    if (isNode(schema) && ("example" in node || "examples" in node)) {
      const schemaPointer = typeof schema.$ref === "string" ? schema.$ref : `${pointer}/schema`;
      if ("example" in node)
        found.push({ where: pointer, name: "example", schemaPointer, value: node.example });
      if (isNode(node.examples)) {
        for (const [name, entry] of Object.entries(node.examples)) {
          const ref = isNode(entry) && typeof entry.$ref === "string" ? entry.$ref : undefined;
          const example = ref ? readPointer(doc, ref) : entry;
          if (!isNode(example) || !("value" in example)) {
            throw new Error(`${pointer}/examples/${escapePointerKey(name)} has no value`);
          }
          found.push({ where: pointer, name, schemaPointer, value: example.value, ...(ref ? { ref } : {}) });
        }
      }
    }
    for (const [key, child] of Object.entries(node)) visit(child, `${pointer}/${escapePointerKey(key)}`);
  };
  visit(doc, "#");
  return found;
}
