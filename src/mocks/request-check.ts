import { isJsonMediaType } from "../core/json-media-type.ts";
import { describeErrors, specValidator } from "../core/spec-validator.ts";
import type { SpecOperation } from "./spec-operations.ts";

/** The outcome of checking a request against the spec: its parsed body, or the error Graph would answer. */
export type RequestVerdict =
  | { ok: true; body: unknown }
  | { ok: false; status: 400 | 401 | 415; message: string | undefined; body: unknown };

/** `Bearer` and one token of visible ASCII characters (RFC 6750's b64token is stricter still). */
const bearer = /^Bearer[ \t]+[\x21-\x7e]+$/i;

/**
 * Checks the bearer token named by the spec's security scheme. Returns a problem message, or
 * `undefined` when the header is acceptable; an empty or missing token gives the spec example's
 * own message (`null`). A malformed value (`Bearer a b c`) is a 401, as Graph answers
 * `InvalidAuthenticationToken` to a token it cannot read.
 */
function authorizationProblem(header: string | null): string | null | undefined {
  if (header === null || header.trim() === "") return null;
  if (/^Bearer\s*$/i.test(header.trim())) return null;
  if (!bearer.test(header.trim())) {
    return /^Bearer\s/i.test(header.trim())
      ? 'The access token is malformed: one token without spaces must follow "Bearer ".'
      : 'The Authorization header must be "Bearer <access token>".';
  }
  return undefined;
}

/**
 * Checks one request to `operation` as Graph would: a bearer token (else 401), a JSON body
 * (else 415 or 400) that validates against the operation's request schema (else 400, with a
 * message naming each failing field). The body is read from a clone, so `request` stays unread.
 */
export async function checkRequest(operation: SpecOperation, request: Request): Promise<RequestVerdict> {
  const text = await request.clone().text();
  const parsed = parseJson(text);
  const body = parsed.ok ? parsed.value : text === "" ? undefined : text;
  const auth = authorizationProblem(request.headers.get("authorization"));
  if (auth !== undefined) return { ok: false, status: 401, message: auth ?? undefined, body };
  if (text.trim() === "") {
    if (!operation.requestBodyRequired) return { ok: true, body: undefined };
    return { ok: false, status: 400, message: "Invalid request body: a JSON body is required.", body };
  }
  if (!isJsonMediaType(request.headers.get("content-type"))) {
    const got = request.headers.get("content-type") ?? "none";
    return {
      ok: false,
      status: 415,
      message: `Unsupported Content-Type "${got}": the request body must be application/json.`,
      body,
    };
  }
  if (!parsed.ok) {
    return {
      ok: false,
      status: 400,
      message: `Invalid request body: not valid JSON (${parsed.reason}).`,
      body,
    };
  }
  const validate = specValidator(operation.requestSchema);
  if (!validate(parsed.value)) {
    return {
      ok: false,
      status: 400,
      message: `Invalid request body: ${describeErrors(validate.errors, "body")}.`,
      body,
    };
  }
  return { ok: true, body: parsed.value };
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}
