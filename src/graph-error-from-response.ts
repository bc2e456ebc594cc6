import type { components } from "../generated/schema.d.ts";
import { GraphError } from "./errors/graph-error.ts";
import { parseRetryAfter } from "./retry.ts";

type MainError = components["schemas"]["mainError"];

const bodyExcerptLength = 200;

/**
 * Builds the {@link GraphError} for a non-success response whose body was already read
 * (`body`: parsed JSON, or the text when it was not JSON), sent to `url` in `attempts` attempts.
 *
 * @example
 * const error = graphErrorFromResponse(response, { error: { code: "NotFound", message: "No call" } }, url, 1);
 * error.code; // "NotFound"
 */
export function graphErrorFromResponse(
  response: Response,
  body: unknown,
  url: string,
  attempts: number,
): GraphError {
  const mainError = readMainError(body);
  const inner: Record<string, unknown> = isObject(mainError?.innerError) ? mainError.innerError : {};
  const status = response.status;
  const headers = response.headers;
  return new GraphError({
    status,
    code: mainError?.code ?? `HttpError${status}`,
    message: mainError
      ? `Graph answered ${status} ${mainError.code}: ${mainError.message}`
      : `Graph answered ${status}${response.statusText ? ` ${response.statusText}` : ""}${describeBody(body)}`,
    url,
    attempts,
    body,
    mainError,
    requestId: stringOrUndefined(inner["request-id"]) ?? headers.get("request-id") ?? undefined,
    clientRequestId:
      stringOrUndefined(inner["client-request-id"]) ?? headers.get("client-request-id") ?? undefined,
    date: stringOrUndefined(inner.date) ?? headers.get("date") ?? undefined,
    retryAfterMs: parseRetryAfter(headers.get("retry-after")),
  });
}

function readMainError(body: unknown): MainError | undefined {
  if (!isObject(body) || !isObject(body.error)) return undefined;
  const { code, message } = body.error;
  if (typeof code !== "string" || typeof message !== "string") return undefined;
  return body.error as MainError;
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function describeBody(body: unknown): string {
  if (body === undefined || body === "") return " with an empty body";
  const text = typeof body === "string" ? body : JSON.stringify(body);
  const excerpt = text.length > bodyExcerptLength ? `${text.slice(0, bodyExcerptLength)}…` : text;
  return `: ${excerpt}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
