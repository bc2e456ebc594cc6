import type { components } from "../../generated/schema.d.ts";
import {
  exampleNameOf,
  isSpecNode,
  resolveSpecRef,
  type SpecNode,
  specDocument,
  specExampleObject,
} from "../core/spec-document.ts";
import type { SpecPath } from "./spec-operations.ts";

/** Graph's error body (OData v4), as the spec defines it. */
export type ODataError = components["schemas"]["odataError"];

/** Details a caller may set on an error body built from the spec's example. */
export interface ErrorBodyOptions {
  /** Replaces the example's `error.message`, to name the actual problem. */
  message?: string;
  /** Echoed in `innerError["client-request-id"]` (Graph echoes the request's `client-request-id` header). */
  clientRequestId?: string | undefined;
}

function errorResponse(path: SpecPath, status: number): SpecNode {
  const paths = specDocument.paths as SpecNode;
  const post = resolveSpecRef(resolveSpecRef(paths[path]).post);
  const responses = post.responses as SpecNode;
  return resolveSpecRef(responses[String(status)] ?? responses.default);
}

/**
 * Builds the error body the spec documents for `status` on `path` (its example, or the `default`
 * response's), with a fresh `innerError` (`request-id`, `date`) and, when given, the message naming
 * the actual problem.
 */
export function specErrorBody(path: SpecPath, status: number, options: ErrorBodyOptions = {}): ODataError {
  const response = errorResponse(path, status);
  const media = resolveSpecRef((response.content as SpecNode)["application/json"]);
  const first = Object.values(media.examples as SpecNode)[0];
  if (first === undefined) throw new Error(`spec: no error example for ${status} on ${path}`);
  const body = specExampleObject(exampleNameOf(first)) as unknown as ODataError;
  if (options.message !== undefined) body.error.message = options.message;
  body.error.innerError = {
    "request-id": crypto.randomUUID(),
    date: new Date().toISOString().slice(0, 19),
    ...(options.clientRequestId ? { "client-request-id": options.clientRequestId } : {}),
  };
  return body;
}

/**
 * The spec's example value of a response header for `status` on `path` (such as `Retry-After`),
 * or `undefined` when the spec gives none.
 */
export function specHeaderExample(path: SpecPath, status: number, header: string): string | undefined {
  const headers = errorResponse(path, status).headers;
  if (!isSpecNode(headers) || headers[header] === undefined) return undefined;
  const resolved = resolveSpecRef(headers[header]);
  return resolved.example === undefined ? undefined : String(resolved.example);
}
