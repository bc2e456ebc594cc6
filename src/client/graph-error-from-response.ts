import type { components } from "../../generated/schema.d.ts";
import { typeOf } from "../core/check.ts";
import { GraphError } from "./errors.ts";
import { parseRetryAfter } from "./retry.ts";

type MainError = components["schemas"]["mainError"];

/**
 * Builds the {@link GraphError} for a non-success response whose body was already read as `text`,
 * sent to `url` in `attempts` attempts. `requestId`, `clientRequestId` and `date` come from
 * `error.innerError`, else from the headers of the same names.
 */
export function graphErrorFromResponse(
  response: Response,
  text: string,
  url: string,
  attempts: number,
): GraphError {
  const { status, statusText, headers } = response;
  const body = parseJson(text);
  const mainError = readMainError(body);
  const inner: Record<string, unknown> = isObject(mainError?.innerError) ? mainError.innerError : {};
  const pick = (key: string) => {
    const value = inner[key];
    return typeof value === "string" && value ? value : (headers.get(key) ?? undefined);
  };
  // The text as received, not the body re-serialised (which deep nesting would overflow).
  const detail = mainError
    ? ` ${mainError.code}: ${mainError.message}`
    : `${statusText ? ` ${statusText}` : ""}: ${text.length > 200 ? `${text.slice(0, 200)}…` : text || "(empty body)"}`;
  return new GraphError({
    status,
    code: mainError?.code ?? `HttpError${status}`,
    message: `Graph answered ${status}${detail}`,
    url,
    attempts,
    body,
    mainError,
    requestId: pick("request-id"),
    clientRequestId: pick("client-request-id"),
    date: pick("date"),
    retryAfterMs: parseRetryAfter(headers.get("retry-after")),
  });
}

/** The body as JSON when it parses, else the text itself (`""` when empty). */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function readMainError(body: unknown): MainError | undefined {
  const error = isObject(body) ? body.error : undefined;
  return isObject(error) && typeof error.code === "string" && typeof error.message === "string"
    ? (error as MainError)
    : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeOf(value) === "object";
}
