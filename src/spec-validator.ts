import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import openapi from "../generated/openapi.json" with { type: "json" };

/** The bundled spec, `generated/openapi.json`, as written by `npm run generate`. */
export const openapiDocument = openapi;

const documentId = "https://graph-comms-kit.invalid/openapi.json";
let ajv: Ajv2020 | undefined;

function specAjv(): Ajv2020 {
  if (ajv) return ajv;
  ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true, validateSchema: false });
  // OpenAPI words that are not JSON Schema; "components" holds the spec's schemas, reached by pointer.
  for (const word of ["components", "example", "externalDocs", "xml", "discriminator"]) ajv.addKeyword(word);
  addFormats.default(ajv);
  ajv.addSchema({ $id: documentId, components: openapi.components }, undefined, undefined, false);
  return ajv;
}

/**
 * Returns an ajv (JSON Schema 2020-12) validator for any schema of the bundled spec, by JSON
 * pointer. Validators are compiled once and cached.
 *
 * @example
 * const validate = specValidator("#/components/schemas/commsNotifications");
 * if (!validate(body)) console.log(describeErrors(validate.errors));
 */
export function specValidator(pointer: string): ValidateFunction {
  const ref = `${documentId}${pointer}`;
  const instance = specAjv();
  const cached = instance.getSchema(ref);
  if (cached) return cached;
  instance.addSchema({ $id: `${ref}-root`, $ref: ref });
  const compiled = instance.getSchema(`${ref}-root`);
  if (!compiled) throw new Error(`specValidator: no schema at ${pointer}`);
  return compiled;
}

/**
 * One readable sentence from ajv errors, naming each failing field by its JSON path.
 *
 * @example
 * describeErrors(validate.errors); // "/clientContext must NOT have more than 256 characters"
 */
export function describeErrors(errors: readonly ErrorObject[] | null | undefined, root = "body"): string {
  if (!errors || errors.length === 0) return `${root} is invalid`;
  return errors
    .filter((e) => e.keyword !== "if")
    .map((e) => {
      const where = `${root}${e.instancePath}`;
      if (e.keyword === "additionalProperties") {
        return `${where} has unknown property "${String(e.params.additionalProperty)}"`;
      }
      if (e.keyword === "enum") return `${where} must be one of ${JSON.stringify(e.params.allowedValues)}`;
      return `${where} ${e.message ?? "is invalid"}`;
    })
    .join("; ");
}
