import { describe, expect, it } from "vitest";
import { createCallsClient, LocationError } from "../../src/client/index.ts";
import { accepted, beta2018Location, callId, operationId, stubFetch } from "../support/fetch-stub.ts";

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
    expect(ref).toEqual({ callId, operationId, location: beta2018Location, httpStatus: 202 });
  });

  it("keeps the request-id header", async () => {
    const response = new Response(null, {
      status: 202,
      headers: { Location: beta2018Location, "request-id": "r-1" },
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
    const response = new Response("<html>oops</html>", {
      status: 200,
      headers: { Location: beta2018Location },
    });
    const client = createCallsClient({ token: "t", path: communications, fetch: stubFetch(response) });
    const ref = await client.cancelMediaProcessing(callId);
    expect(ref).toEqual({ callId, operationId, location: beta2018Location, httpStatus: 200 });
  });
});

// Row 9 of issue 12: each was accepted, and the returned ids or URI silently differed from the request's.
describe("a Location that is not an operation of the call requested, on baseUrl's origin", () => {
  const operationPath = `/app/calls/${callId}/operations/${operationId}`;

  it.each([
    [
      "another call",
      `https://graph.microsoft.com/beta/app/calls/11111111-2222-3333-4444-555555555555/operations/${operationId}`,
      `names another call than ${callId}`,
    ],
    [
      "another host",
      `https://graph.microsoft.com.evil.example/beta${operationPath}`,
      "on another origin than the request's or Graph's",
    ],
    [
      "another scheme",
      `http://graph.microsoft.com/beta${operationPath}`,
      "on another origin than the request's or Graph's",
    ],
    [
      "another port",
      `https://graph.microsoft.com:8443/beta${operationPath}`,
      "on another origin than the request's or Graph's",
    ],
    [
      "a protocol-relative URL to another host",
      `//evil.example/beta${operationPath}`,
      "on another origin than the request's or Graph's",
    ],
    [
      "user:pass credentials",
      `https://user:pass@graph.microsoft.com/beta${operationPath}`,
      "carries credentials",
    ],
    ["a user name", `https://user@graph.microsoft.com/beta${operationPath}`, "carries credentials"],
  ])("throws a LocationError for %s", async (_, location, problem) => {
    const error = await locationErrorFor(accepted(location));
    expect(error.location).toBe(location);
    expect(error.status).toBe(202);
    expect(error.message).toContain(problem);
  });

  it("also on a 200 whose body names the operation", async () => {
    const other = `https://graph.microsoft.com/beta/communications/calls/11111111-2222-3333-4444-555555555555/operations/${operationId}`;
    const response = Response.json(
      { id: operationId, status: "completed" },
      { headers: { Location: other } },
    );
    const error = await locationErrorFor(response, communications);
    expect([error.status, error.location]).toEqual([200, other]);
  });

  it.each([
    [
      "another version on the same origin",
      `https://graph.microsoft.com/v1.0/communications/calls/${callId}/operations/${operationId}`,
    ],
    [
      "the call id spelled as 32 uppercase hex digits",
      `https://graph.microsoft.com/beta/app/calls/${callId.replaceAll("-", "").toUpperCase()}/operations/${operationId}`,
    ],
    ["an explicit default port", `https://graph.microsoft.com:443/beta${operationPath}`],
  ])("accepts %s", async (_, location) => {
    await expect(refFor(accepted(location))).resolves.toMatchObject({ callId, operationId });
  });

  it("accepts Graph's own origin from a mock or proxy at baseUrl, and no third origin", async () => {
    const answers = [
      `https://graph.microsoft.com/beta${operationPath}`,
      `https://evil.example/beta${operationPath}`,
    ];
    const fetch = stubFetch(...answers.map((location) => accepted(location)));
    const client = createCallsClient({ token: "t", fetch, baseUrl: "http://127.0.0.1:4010" });
    await expect(client.cancelMediaProcessing(callId)).resolves.toMatchObject({ location: answers[0] });
    await expect(client.cancelMediaProcessing(callId)).rejects.toBeInstanceOf(LocationError);
  });

  it("compares a call id that is not a GUID after percent-decoding, as requested", async () => {
    const fetch = stubFetch(accepted(`https://graph.microsoft.com/beta/app/calls/a%2Fb/operations/op-1`));
    const client = createCallsClient({ token: "t", fetch });
    await expect(client.cancelMediaProcessing("a/b")).resolves.toMatchObject({
      callId: "a/b",
      operationId: "op-1",
    });
    const error = await client.cancelMediaProcessing("a/c").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LocationError);
  });
});
