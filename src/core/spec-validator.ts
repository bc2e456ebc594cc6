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
const firstProblem: SpecAjv = { ajv: undefined, validators: new Map() };
const quick: SpecAjv = { ajv: undefined, validators: new Map() };

type Mode = "describing" | "firstProblem" | "quick";

function specAjv(mode: Mode): Ajv2020 {
  const ajv =
    mode !== "quick"
      ? // verbose: errors carry their schema, which describeErrors reads (anyOf branches, if/then).
        new Ajv2020({
          allErrors: mode === "describing",
          verbose: true,
          strict: true,
          allowUnionTypes: true,
          validateSchema: false,
        })
      : new Ajv2020({
          allErrors: false,
          // Lengths in UTF-16 units, not code points (ajv's slow per-character loop): it can only
          // refuse more, which quickSpecValidator's caller then asks specValidator about.
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

/** True when no schema asks for `minLength` above 1, so measuring in UTF-16 units accepts nothing code points refuse. */
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

/** An ajv (JSON Schema 2020-12) validator, cached, for a schema of the bundled spec by pointer; it collects every problem. */
export function specValidator(pointer: string): ValidateFunction {
  return compiled(describing, pointer, "describing");
}

/**
 * A faster check for hot paths by the same schema: `true` is valid; `false` means "ask
 * {@link specValidator}", as this one measures strings in UTF-16 units (emoji count double).
 */
export function quickSpecValidator(pointer: string): (value: unknown) => boolean {
  return compiled(quick, pointer, "quick");
}

const maxReported = 10;

/**
 * One readable sentence from a {@link specValidator}'s errors, naming each failing field by its JSON
 * path and reading the rules as a person would (an `anyOf` of types is "must be object or array", a
 * nullable field is described by its own problems, the `if`/`then` rule is "must have resource or
 * resourceUrl"); at most ten problems, then how many more. For values from outside use {@link describeValue}.
 */
export function describeErrors(errors: readonly ErrorObject[] | null | undefined, root = "body"): string {
  const listed = errorMessages(errors, root);
  if (listed.length === 0) return `${root} is invalid`;
  return joinProblems(listed.slice(0, maxReported), listed.length - maxReported);
}

/** Problems as {@link describeErrors} lists them: at most ten, `; `-separated, then `(and N more)`. */
export function joinProblems(problems: readonly string[], more = 0): string {
  return problems.join("; ") + (more > 0 ? ` (and ${more} more)` : "");
}

/** The distinct messages for ajv errors, in order (see {@link describeErrors}). */
function errorMessages(errors: readonly ErrorObject[] | null | undefined, root: string): string[] {
  if (!errors || errors.length === 0) return [];
  const skipped = anyOfBranchErrors(errors);
  const messages = new Set<string>();
  for (let index = 0; index < errors.length; index++) {
    const e = errors[index] as ErrorObject;
    if (e.keyword === "if" || skipped[index] === 1) continue;
    messages.add(describeError(e, errors[index + 1], root));
  }
  return [...messages];
}

/** Values of at most this many JSON nodes get every problem listed; ajv's `allErrors` on a larger one could take seconds. */
const maxNodesForAllErrors = 1_000;

/**
 * Why `value` fails the spec schema at `pointer`, as distinct messages naming each wrong field below
 * `root`; empty when valid. Work is bounded by the value's size (a large value gets its first problem
 * only). Check a list's items one by one: ajv copies the errors so far for each invalid `$ref` item.
 */
export function describeValue(pointer: string, value: unknown, root = "body"): string[] {
  const validate = hasAtMostNodes(value, maxNodesForAllErrors)
    ? specValidator(pointer)
    : compiled(firstProblem, pointer, "firstProblem");
  return validate(value) ? [] : errorMessages(validate.errors, root);
}

/** Counts the values in a JSON value (iteratively), stopping as soon as there are more than `limit`. */
function hasAtMostNodes(value: unknown, limit: number): boolean {
  const pending: unknown[] = [value];
  let count = 0;
  while (pending.length > 0) {
    const node = pending.pop();
    if (++count > limit) return false;
    if (typeof node !== "object" || node === null) continue;
    const children = Array.isArray(node) ? node : Object.values(node);
    if (count + pending.length + children.length > limit) return false;
    for (const child of children) pending.push(child);
  }
  return true;
}

type SchemaNode = Record<string, unknown>;

/** An anyOf branch with its `$ref` followed (the spec's refs point into `components`). */
function branchSchema(branch: unknown): SchemaNode {
  const ref = (branch as SchemaNode | null)?.$ref;
  const node = typeof ref === "string" ? readPointer(openapi, ref) : branch;
  return typeof node === "object" && node !== null ? (node as SchemaNode) : {};
}

function isNullOnly(schema: SchemaNode): boolean {
  return schema.type === "null";
}

/**
 * Which errors the message leaves out: those an `anyOf` error sums up. ajv reports a failed anyOf's
 * branch errors just before it, so one backward sweep finds each run (linear however anyOfs nest);
 * for a nullable field the anyOf and its `null` branch are skipped instead.
 */
function anyOfBranchErrors(errors: readonly ErrorObject[]): Uint8Array {
  const skipped = new Uint8Array(errors.length);
  /** For each anyOf error's index, where its run of branch errors begins. */
  const runStart = new Map<number, number>();
  /** The same for the non-nullable ones, whose whole run the message leaves out. */
  const summedUp = new Map<number, number>();
  for (let index = 0; index < errors.length; index++) {
    const e = errors[index] as ErrorObject;
    if (e.keyword !== "anyOf" || !Array.isArray(e.schema)) continue;
    const branches = e.schema.map(branchSchema);
    const nullable = branches.length === 2 && branches.some(isNullOnly);
    const below = `${e.instancePath}/`;
    let back = index - 1;
    while (back >= 0) {
      const branchError = errors[back] as ErrorObject;
      const at = branchError.instancePath;
      if (at !== e.instancePath && !at.startsWith(below)) break;
      if (
        nullable &&
        at === e.instancePath &&
        branchError.keyword === "type" &&
        branchError.params.type === "null"
      ) {
        skipped[back] = 1;
      }
      const nested = runStart.get(back);
      back = nested === undefined ? back - 1 : nested - 1;
    }
    runStart.set(index, back + 1);
    if (nullable) skipped[index] = 1;
    else summedUp.set(index, back + 1);
  }
  // Runs nest or are disjoint: walking back, the current run covers every index down to its start.
  let coveredFrom = Number.POSITIVE_INFINITY;
  for (let index = errors.length - 1; index >= 0; index--) {
    if (index < coveredFrom) coveredFrom = Number.POSITIVE_INFINITY;
    if (coveredFrom !== Number.POSITIVE_INFINITY) skipped[index] = 1;
    const start = summedUp.get(index);
    if (start !== undefined && start < coveredFrom) coveredFrom = start;
  }
  return skipped;
}

function describeError(e: ErrorObject, next: ErrorObject | undefined, root: string): string {
  const where = `${root}${e.instancePath}`;
  switch (e.keyword) {
    case "additionalProperties":
      return `${where} has unknown property "${String(e.params.additionalProperty)}"`;
    case "enum":
      return `${where} must be one of ${JSON.stringify(e.params.allowedValues)}`;
    case "required": {
      // A `then: {required: [y]}` whose `if` is `not: {required: [x]}` reads "x, or else y". ajv
      // reports the `if` error right after the `then` one, with the `if` schema (verbose).
      const alternative =
        next?.keyword === "if" && next.instancePath === e.instancePath
          ? ifNotRequired(next.schema)
          : undefined;
      const missing = String(e.params.missingProperty);
      return alternative
        ? `${where} must have "${alternative}" or "${missing}"`
        : `${where} must have required property "${missing}"`;
    }
    case "anyOf": {
      const branches = Array.isArray(e.schema) ? e.schema.map(branchSchema) : [];
      const allowed = branches.flatMap((branch) => (Array.isArray(branch.enum) ? branch.enum : []));
      const types = branches.flatMap((branch) => (branch.enum === undefined ? typeNames(branch.type) : []));
      if (allowed.length > 0) {
        return `${where} must be one of ${JSON.stringify([...new Set([...allowed, ...(types.includes("null") ? [null] : [])])])}`;
      }
      return types.length > 0
        ? `${where} must be ${[...new Set(types)].join(" or ")}`
        : `${where} must match one of its allowed shapes`;
    }
    case "type":
      return `${where} must be ${typeNames(e.params.type).join(" or ")}`;
    default:
      return `${where} ${e.message ?? "is invalid"}`;
  }
}

/** ajv's `type` parameter (one name, or several for an OpenAPI 3.1 type array such as `[string, "null"]`) as a list. */
function typeNames(type: unknown): string[] {
  return Array.isArray(type) ? type.map(String) : [String(type)];
}

/** For an `if` schema `not: {required: [x]}` ("x, or else the `then` rule"), returns x. */
function ifNotRequired(ifSchema: unknown): string | undefined {
  const required = (((ifSchema as SchemaNode | null)?.not ?? {}) as SchemaNode).required;
  return Array.isArray(required) && required.length === 1 && typeof required[0] === "string"
    ? required[0]
    : undefined;
}
