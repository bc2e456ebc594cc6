import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { readPointer } from "./json-pointer.ts";
import { openapiDocument as openapi } from "./spec-document.ts";

const documentId = "https://graph-comms-kit.invalid/openapi.json";

/** One ajv instance per mode, each with its compiled validators cached by pointer. */
interface SpecAjv {
  ajv: Ajv2020 | undefined;
  /** By pointer: ajv's own lookup normalises the URI on every call, too slow for a per-request path. */
  validators: Map<string, ValidateFunction>;
}
const describing: SpecAjv = { ajv: undefined, validators: new Map() };
const quick: SpecAjv = { ajv: undefined, validators: new Map() };

type Mode = "describing" | "quick";

function specAjv(mode: Mode): Ajv2020 {
  const ajv =
    mode === "describing"
      ? new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true, validateSchema: false })
      : new Ajv2020({
          allErrors: false,
          // Lengths in UTF-16 units (string.length), not code points: ajv counts code points with a
          // loop over every character, the slowest part of a notification's check. A string's units
          // are never fewer than its code points, so this can only refuse more (see quickSpecValidator).
          unicode: !onlyTrivialMinLengths(openapi.components),
          logger: { log: console.log, warn: warnUnlessUnicodeNotice, error: console.error },
          strict: true,
          allowUnionTypes: true,
          validateSchema: false,
        });
  // OpenAPI words that are not JSON Schema; "components" holds the spec's schemas, reached by pointer.
  for (const word of ["components", "example", "externalDocs", "xml", "discriminator"]) ajv.addKeyword(word);
  addFormats.default(ajv);
  ajv.addSchema({ $id: documentId, components: openapi.components }, undefined, undefined, false);
  return ajv;
}

/** ajv flags the `unicode` option as deprecated (it prefers code points); we choose units on purpose. */
function warnUnlessUnicodeNotice(...args: unknown[]): void {
  if (typeof args[0] === "string" && args[0].startsWith("DEPRECATED: option unicode")) return;
  console.warn(...args);
}

/**
 * True when no schema asks for `minLength` above 1. Then measuring in UTF-16 units cannot accept a
 * string that code points would refuse (`maxLength`: units >= code points; `minLength` 0 or 1: a
 * string is empty in both measures or in neither).
 */
function onlyTrivialMinLengths(node: unknown): boolean {
  if (typeof node !== "object" || node === null) return true;
  for (const [key, value] of Object.entries(node)) {
    if (key === "minLength" && typeof value === "number" && value > 1) return false;
    if (!onlyTrivialMinLengths(value)) return false;
  }
  return true;
}

function compiled(cache: SpecAjv, pointer: string, mode: Mode): ValidateFunction {
  const known = cache.validators.get(pointer);
  if (known) return known;
  const ref = `${documentId}${pointer}`;
  cache.ajv ??= specAjv(mode);
  const instance = cache.ajv;
  let validate = instance.getSchema(ref);
  if (!validate) {
    instance.addSchema({ $id: `${ref}-root`, $ref: ref });
    validate = instance.getSchema(`${ref}-root`);
  }
  if (!validate) throw new Error(`specValidator: no schema at ${pointer}`);
  cache.validators.set(pointer, validate);
  return validate;
}

/**
 * Returns an ajv (JSON Schema 2020-12) validator for any schema of the bundled spec, by JSON
 * pointer. It collects every problem (`allErrors`), for {@link describeErrors}. Validators are
 * compiled once and cached.
 *
 * @example
 * const validate = specValidator("#/components/schemas/commsNotifications");
 * if (!validate(body)) console.log(describeErrors(validate.errors));
 */
export function specValidator(pointer: string): ValidateFunction {
  return compiled(describing, pointer, "describing");
}

/**
 * A faster check for hot paths, by the same spec schema as {@link specValidator}. `true` means
 * valid (specValidator agrees). `false` means "ask specValidator", which has the last word: this
 * one stops at the first problem and measures string lengths in UTF-16 units, so a string of
 * emoji within `maxLength` code points but beyond as many units is refused here, accepted there.
 *
 * @example
 * if (!quickSpecValidator(pointer)(body)) {
 *   const validate = specValidator(pointer);
 *   if (!validate(body)) throw new Error(describeErrors(validate.errors));
 * }
 */
export function quickSpecValidator(pointer: string): (value: unknown) => boolean {
  return compiled(quick, pointer, "quick");
}

const maxReported = 10;

/**
 * One readable sentence from ajv errors, naming each failing field by its JSON path. Reads the
 * spec's rules the way a person would: an `anyOf` of types is "must be object or array", and the
 * `if`/`then` rule of `commsNotification` is "must have resource or resourceUrl". At most ten
 * problems are listed, then how many more there are.
 *
 * @example
 * describeErrors(validate.errors); // "body/clientContext must NOT have more than 256 characters"
 */
export function describeErrors(errors: readonly ErrorObject[] | null | undefined, root = "body"): string {
  if (!errors || errors.length === 0) return `${root} is invalid`;
  const anyOfPaths = errors.filter((e) => e.keyword === "anyOf").map((e) => `${e.schemaPath}/`);
  const messages = new Set<string>();
  for (const e of errors) {
    if (e.keyword === "if" || anyOfPaths.some((path) => e.schemaPath.startsWith(path))) continue;
    messages.add(describeError(e, errors, root));
  }
  const listed = [...messages];
  const more = listed.length > maxReported ? ` (and ${listed.length - maxReported} more)` : "";
  return listed.slice(0, maxReported).join("; ") + more;
}

function describeError(e: ErrorObject, all: readonly ErrorObject[], root: string): string {
  const where = `${root}${e.instancePath}`;
  switch (e.keyword) {
    case "additionalProperties":
      return `${where} has unknown property "${String(e.params.additionalProperty)}"`;
    case "enum":
      return `${where} must be one of ${JSON.stringify(e.params.allowedValues)}`;
    case "required": {
      const alternative = e.schemaPath.endsWith("/then/required") ? ifNotRequired(e.schemaPath) : undefined;
      const missing = String(e.params.missingProperty);
      return alternative
        ? `${where} must have "${alternative}" or "${missing}"`
        : `${where} must have required property "${missing}"`;
    }
    case "anyOf": {
      const types = all
        .filter(
          (s) =>
            s.keyword === "type" &&
            s.instancePath === e.instancePath &&
            s.schemaPath.startsWith(`${e.schemaPath}/`),
        )
        .map((s) => String(s.params.type));
      return types.length > 0
        ? `${where} must be ${[...new Set(types)].join(" or ")}`
        : `${where} must match one of its allowed shapes`;
    }
    default:
      return `${where} ${e.message ?? "is invalid"}`;
  }
}

/** For a `then: {required}` rule whose `if` is `not: {required: [x]}` ("x, or else this"), returns x. */
function ifNotRequired(schemaPath: string): string | undefined {
  const ifPath = schemaPath.replace(/\/then\/required$/, "/if/not/required");
  if (!ifPath.startsWith("#/")) return undefined;
  const node = readPointer(openapi, ifPath);
  return Array.isArray(node) && node.length === 1 && typeof node[0] === "string" ? node[0] : undefined;
}
