import { isSpecNode, resolveSpecRef, type SpecNode, specDocument } from "../../../src/core/spec-document.ts";
import { describeErrors, specValidator } from "../../../src/core/spec-validator.ts";
import type { SpecPath } from "../../../src/mocks/spec-operations.ts";

/** A response as read off the wire. */
export interface WireResponse {
  status: number;
  headers: Headers;
  text: string;
}

/** Reads a fetch Response fully. */
export async function readResponse(response: Response): Promise<WireResponse> {
  return { status: response.status, headers: response.headers, text: await response.text() };
}

function refPointer(node: unknown): string | undefined {
  return isSpecNode(node) && typeof node.$ref === "string" ? node.$ref : undefined;
}

/**
 * Every way a response breaks the spec for `POST path`: a status the operation does not list
 * (non-error statuses must be listed; errors may fall under `default`), a required header missing
 * or invalid, a body where none is documented, or a body that is not JSON or fails its schema.
 * An empty list means the response honours the contract.
 */
export function responseProblems(path: SpecPath, response: WireResponse): string[] {
  const post = resolveSpecRef(resolveSpecRef((specDocument.paths as SpecNode)[path]).post);
  const responses = post.responses as SpecNode;
  const declared = responses[String(response.status)];
  const chosen = declared ?? (response.status >= 400 ? responses.default : undefined);
  if (chosen === undefined) return [`status ${response.status} is not documented for ${path}`];
  const problems: string[] = [];
  const spec = resolveSpecRef(chosen);
  const headers = isSpecNode(spec.headers) ? spec.headers : {};
  for (const [name, raw] of Object.entries(headers)) {
    const header = resolveSpecRef(raw);
    const value = response.headers.get(name);
    if (value === null) {
      if (header.required === true) problems.push(`required header ${name} is missing`);
      continue;
    }
    const pointer = refPointer(raw);
    if (!pointer) continue;
    const validate = specValidator(`${pointer}/schema`);
    if (!validate(value)) problems.push(`header ${name}: ${describeErrors(validate.errors, name)}`);
  }
  const content = isSpecNode(spec.content) ? spec.content : undefined;
  if (content === undefined) {
    if (response.text !== "")
      problems.push(`a ${response.status} has no body in the spec, got ${response.text}`);
    return problems;
  }
  const contentType = response.headers.get("content-type") ?? "";
  if (!contentType.toLowerCase().startsWith("application/json")) {
    problems.push(`content-type should be application/json, got ${JSON.stringify(contentType)}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(response.text);
  } catch {
    return [...problems, `body is not JSON: ${response.text.slice(0, 100)}`];
  }
  const media = resolveSpecRef(content["application/json"]);
  const schema = refPointer(media.schema);
  if (!schema) return [...problems, "spec media type has no schema $ref"];
  const validate = specValidator(schema);
  if (!validate(body)) problems.push(describeErrors(validate.errors, "body"));
  return problems;
}
