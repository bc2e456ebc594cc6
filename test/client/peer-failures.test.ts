import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCallsClient } from "../../src/client/index.ts";
import { callId, operationId } from "../support/fetch-stub.ts";
import { type RecordingServer, startRecordingServer } from "../support/recording-server.ts";

/**
 * Failures of other clients with this API, each turned into a test of ours: Microsoft's Kiota SDK
 * throws on a real `202` with an empty body and no content type, and graph-client's plain
 * `.post()` cannot return the `Location` header.
 */
describe("known peer failures, over real HTTP on 127.0.0.1", () => {
  let server: RecordingServer;
  const operationPath = `/beta/app/calls/${callId}/operations/${operationId}`;

  beforeAll(async () => {
    server = await startRecordingServer({
      answer: (request, response) => {
        const location = `${server.origin}${operationPath}`;
        if (request.path.includes("/chunked/")) {
          // An empty chunked body: no Content-Length, no Content-Type.
          response.writeHead(202, { Location: location, "Transfer-Encoding": "chunked" });
          response.end();
        } else {
          response.writeHead(202, { Location: location, "Content-Length": "0" });
          response.end();
        }
      },
    });
  });
  afterAll(() => server.close());

  it.each([
    ["with Content-Length: 0", "/beta"],
    ["as an empty chunked body", "/beta/chunked"],
  ])(
    "a 202 with no body and no content type %s gives the OperationRef with its Location",
    async (_, prefix) => {
      const client = createCallsClient({ token: "t", baseUrl: `${server.origin}${prefix}` });
      const ref = await client.cancelMediaProcessing(callId, { all: true });
      expect(ref).toEqual({
        callId,
        operationId,
        location: `${server.origin}${operationPath}`,
        httpStatus: 202,
      });
      const raw = server.received.at(-1);
      expect(raw?.headers["content-type"]).toBe("application/json");
      expect(raw?.text).toBe('{"all":true}');
    },
  );
});
