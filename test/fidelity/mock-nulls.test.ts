import { describe, expect, it } from "vitest";
import { post, useGraphMock } from "../support/graph-server.ts";

const call = "57dab8b1-894c-409a-b240-bd8beae78896";
const urls = {
  app: `https://graph.microsoft.com/beta/app/calls/${call}/cancelMediaProcessing`,
  applications: `https://graph.microsoft.com/beta/applications/app-1/calls/${call}/cancelMediaProcessing`,
  communications: `https://graph.microsoft.com/v1.0/communications/calls/${call}/cancelMediaProcessing`,
};

/** Microsoft's SDKs send `null` for a field that is not set; Graph's metadata makes both nullable. */
describe("the MSW mock accepts the nulls Graph accepts", () => {
  const graph = useGraphMock();

  it.each([
    ["app", { all: null, clientContext: null }, 200],
    ["applications", { all: null, clientContext: null }, 202],
    ["communications", { clientContext: null }, 200],
  ] as const)(
    "%s: %j is a success, and the operation records no clientContext",
    async (path, body, status) => {
      const response = await post(urls[path], body);
      await response.text();
      expect(response.status).toBe(status);
      const [operation] = graph.operations;
      expect(operation).toBeDefined();
      expect(operation).not.toHaveProperty("clientContext");
    },
  );

  it.each([
    ["app", { all: "yes" }],
    ["communications", { clientContext: 5 }],
    ["communications", { all: null }],
  ] as const)("%s: %j is still a 400", async (path, body) => {
    const response = await post(urls[path], body);
    await response.text();
    expect(response.status).toBe(400);
  });
});
