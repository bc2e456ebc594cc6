import { expect } from "vitest";
import { specValidator } from "../../src/core/spec-validator.ts";

const isGraphError = specValidator("#/components/schemas/odataError");

/**
 * Asserts that `response` is the receiver's refusal: `status`, a JSON body in Graph's error shape
 * (the spec's `odataError`) with `code`, and a message matching `message` when given.
 */
export async function expectGraphError(
  response: Response,
  status: number,
  code: string,
  message?: RegExp,
): Promise<void> {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  const body = await response.json();
  expect(isGraphError(body), JSON.stringify(body)).toBe(true);
  expect(body.error.code).toBe(code);
  if (message) expect(body.error.message).toMatch(message);
}
