/**
 * Hostile or broken requests get Graph-shaped answers and are recorded like every other request:
 * ids that are not valid percent-encoding (MSW's own matching throws on them: a 500 with a stack
 * trace, unrecorded, before this), and bearer values a header cannot mean.
 */
import { describe, expect, it } from "vitest";
import type { CallsPath } from "../../src/mocks/index.ts";
import { post, useGraphMock } from "../support/graph-server.ts";
import { callId } from "../support/seed-ids.ts";
import { readResponse, responseProblems } from "./support/spec-response.ts";

const base = "http://127.0.0.1:4010";

describe("malformed paths and bearer values", () => {
  const graph = useGraphMock({ baseUrl: base });

  it.each<[CallsPath, string, string]>([
    [
      "/app/calls/{callId}/cancelMediaProcessing",
      `${base}/app/calls/%E0%A4%A/cancelMediaProcessing`,
      "%E0%A4%A",
    ],
    [
      "/communications/calls/{callId}/cancelMediaProcessing",
      `${base}/v1.0/communications/calls/abc%/cancelMediaProcessing`,
      "abc%",
    ],
    [
      "/applications/{appId}/calls/{callId}/cancelMediaProcessing",
      `${base}/beta/applications/%ZZ/calls/${callId}/cancelMediaProcessing`,
      "%ZZ",
    ],
  ])(
    "%s: a segment that is not valid percent-encoding gets a Graph-shaped 400, recorded",
    async (path, url, segment) => {
      const wire = await readResponse(await post(url, { clientContext: "c" }));
      expect(wire.status).toBe(400);
      expect(responseProblems(path, wire)).toEqual([]);
      const { error } = JSON.parse(wire.text);
      expect(error.code).toBe("BadRequest");
      expect(error.message).toContain(JSON.stringify(segment));
      expect(wire.text).not.toMatch(/URIError|stack/);
      expect(graph.requests).toEqual([
        expect.objectContaining({ path, url, status: 400, body: { clientContext: "c" } }),
      ]);
      expect(graph.operations).toEqual([]);
    },
  );

  it.each([
    ["Bearer a b c", /malformed: one token without spaces/],
    ["Bearer \ttoken\tmore", /malformed/],
    ["Token abc", /Bearer <access token>/],
  ])("answers %j with a Graph-shaped 401, recorded", async (authorization, message) => {
    const path: CallsPath = "/communications/calls/{callId}/cancelMediaProcessing";
    const wire = await readResponse(
      await post(`${base}/communications/calls/${callId}/cancelMediaProcessing`, {}, { authorization }),
    );
    expect(wire.status).toBe(401);
    expect(responseProblems(path, wire)).toEqual([]);
    expect(JSON.parse(wire.text).error).toMatchObject({ code: "InvalidAuthenticationToken", message });
    expect(graph.requests.map((r) => [r.status, r.headers.authorization])).toEqual([[401, authorization]]);
  });
});

describe("version segments, as Graph serves them", () => {
  const graph = useGraphMock({ baseUrl: base });

  it.each([
    ["/beta/app/calls", 200],
    ["/beta/applications/app-1/calls", 202],
    ["/beta/communications/calls", 200],
    ["/v1.0/communications/calls", 200],
    ["/app/calls", 200],
  ])(
    "a base without a version also serves %s/{callId}/cancelMediaProcessing, Location under the same base",
    async (prefix, status) => {
      const response = await post(`${base}${prefix}/${callId}/cancelMediaProcessing`, {});
      expect(response.status).toBe(status);
      const version = /^\/(beta|v1\.0)\//.exec(prefix)?.[0] ?? "/";
      expect(response.headers.get("location")).toMatch(new RegExp(`^${base}${version.replace(".", "\\.")}`));
      expect(graph.operations).toHaveLength(1);
    },
  );

  it("answers the beta-only /app path under /v1.0 with Graph's 400 for an unknown segment, recorded", async () => {
    const wire = await readResponse(await post(`${base}/v1.0/app/calls/${callId}/cancelMediaProcessing`, {}));
    expect(wire.status).toBe(400);
    expect(responseProblems("/app/calls/{callId}/cancelMediaProcessing", wire)).toEqual([]);
    expect(JSON.parse(wire.text).error.message).toMatch(/^Resource not found for the segment 'app'/);
    expect(graph.requests.map((r) => [r.path, r.status])).toEqual([
      ["/app/calls/{callId}/cancelMediaProcessing", 400],
    ]);
    expect(graph.operations).toEqual([]);
  });
});
