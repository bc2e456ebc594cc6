import type { components } from "../../generated/schema.d.ts";

type OdataError = components["schemas"]["odataError"];

/**
 * A JSON response in Graph's error shape (`components.schemas.odataError`), with a fresh request id.
 *
 * @example
 * graphErrorResponse(400, "BadRequest", "body/value must be array");
 */
export function graphErrorResponse(
  status: number,
  code: string,
  message: string,
  headers?: HeadersInit,
): Response {
  const body: OdataError = {
    error: {
      code,
      message,
      innerError: { "request-id": crypto.randomUUID(), date: new Date().toISOString().slice(0, 19) },
    },
  };
  return Response.json(body, headers === undefined ? { status } : { status, headers });
}
