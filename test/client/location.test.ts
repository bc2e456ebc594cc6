import { describe, expect, it } from "vitest";
import { createCallsClient, LocationError } from "../../src/client/index.ts";
import { accepted, callId, operationId, seedLocation, stubFetch } from "./fetch-stub.ts";

const communications = "/communications/calls/{callId}/cancelMediaProcessing" as const;

async function refFor(response: Response) {
  const client = createCallsClient({ token: "t", fetch: stubFetch(response) });
  return client.cancelMediaProcessing(callId);
}

async function locationErrorFor(response: Response, path?: typeof communications): Promise<LocationError> {
  const fetch = stubFetch(response);
  const client = path
    ? createCallsClient({ token: "t", fetch, path })
    : createCallsClient({ token: "t", fetch });
  const error = await client.cancelMediaProcessing(callId).catch((e: unknown) => e);
  if (!(error instanceof LocationError)) throw new Error(`expected a LocationError, got ${String(error)}`);
  return error;
}

describe("Location parsing", () => {
  it("reads both ids from an absolute Location and normalises them", async () => {
    const upper =
      "https://graph.microsoft.com/beta/app/calls/57DAB8B1894C409AB240BD8BEAE78896/operations/0FE0623FD62842EDB4BD8AC290072CC5";
    expect(await refFor(accepted(upper))).toEqual({ callId, operationId, location: upper, httpStatus: 202 });
  });

  it("resolves a relative Location against the request URL", async () => {
    const ref = await refFor(accepted(`/beta/app/calls/${callId}/operations/${operationId}`));
    expect(ref).toEqual({ callId, operationId, location: seedLocation, httpStatus: 202 });
  });

  it("keeps the request-id header", async () => {
    const response = new Response(null, {
      status: 202,
      headers: { Location: seedLocation, "request-id": "r-1" },
    });
    expect((await refFor(response)).requestId).toBe("r-1");
  });

  it("throws a LocationError when Location is missing", async () => {
    const error = await locationErrorFor(new Response(null, { status: 202 }));
    expect([error.status, error.location]).toEqual([202, undefined]);
    expect(error.message).toBe("Graph answered 202 but sent no Location header");
  });

  it.each([
    ["a URL that does not parse", "http://[oops/operations/x"],
    ["a non-http scheme", "mailto:ops@example.com"],
    ["a path naming no operation", "https://graph.microsoft.com/beta/app/calls/abc"],
    ["garbage text", "<<not a location>> %%"],
    [
      "a URL with an unbalanced percent in an id",
      "https://graph.microsoft.com/beta/app/calls/%E0%A4%A/operations/x",
    ],
    ["an empty operation id", "https://graph.microsoft.com/beta/app/calls/abc/operations/"],
  ])("throws a LocationError for %s", async (_, location) => {
    const error = await locationErrorFor(accepted(location));
    expect(error.location).toBe(location);
    expect(error.status).toBe(202);
  });

  it("on a 200 without Location, falls back to the body's id under the request's call", async () => {
    const body = { id: operationId.toUpperCase(), status: "completed" };
    const client = createCallsClient({
      token: "t",
      path: communications,
      fetch: stubFetch(Response.json(body)),
    });
    const ref = await client.cancelMediaProcessing(callId.toUpperCase());
    expect(ref).toMatchObject({
      callId,
      operationId,
      location: `https://graph.microsoft.com/beta/communications/calls/${callId.toUpperCase()}/operations/${operationId.toUpperCase()}`,
    });
  });

  it("on a 200 with neither Location nor an operation id, throws a LocationError", async () => {
    const body = {
      status: "completed",
      "@odata.id": `/communications/calls/${callId}/operations/${operationId}`,
    };
    const error = await locationErrorFor(Response.json(body), communications);
    expect(error.status).toBe(200);
  });

  it("on a 200 whose body is not JSON, still returns the operation named by Location", async () => {
    const response = new Response("<html>oops</html>", { status: 200, headers: { Location: seedLocation } });
    const client = createCallsClient({ token: "t", path: communications, fetch: stubFetch(response) });
    const ref = await client.cancelMediaProcessing(callId);
    expect(ref).toEqual({ callId, operationId, location: seedLocation, httpStatus: 200 });
  });
});
