import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll } from "vitest";
import { createGraphHandlers, type GraphHandlersOptions, type GraphMock } from "../../src/mocks/index.ts";

/**
 * Starts an MSW server with fresh Graph handlers for the current test file (unhandled requests
 * fail the test), resets the mock after each test and closes the server after the file.
 */
export function useGraphMock(options: GraphHandlersOptions = {}): GraphMock {
  const graph = createGraphHandlers(options);
  const server = setupServer(...graph.handlers);
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterEach(() => graph.reset());
  afterAll(() => server.close());
  return graph;
}

/** A POST to the mock with JSON and (by default) a bearer token. */
export function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = { authorization: "Bearer test-token" },
): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}
