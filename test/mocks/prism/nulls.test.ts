import { describe, expect, inject, it } from "vitest";
import { specOperations } from "../../../src/mocks/spec-operations.ts";

const prismUrl = inject("prismUrl");
const concrete = (path: string) =>
  path.replace("{callId}", "57dab8b1-894c-409a-b240-bd8beae78896").replace("{appId}", "app-1");

function send(path: string, body: unknown) {
  return fetch(`${prismUrl}${concrete(path)}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer t" },
    body: JSON.stringify(body),
  });
}

/** Microsoft's SDKs send `null` for a field that is not set; Graph's metadata makes both nullable. */
describe("the Prism mock accepts the nulls Graph accepts", () => {
  it.each(specOperations())("$operationId: clientContext null is a success", async (op) => {
    const response = await send(op.path, { clientContext: null });
    await response.text();
    expect(response.status).toBe(op.successStatus);
  });

  it.each(
    specOperations().filter((op) => op.contract !== "current" && op.action === "cancelMediaProcessing"),
  )("$operationId: all null is a success", async (op) => {
    const response = await send(op.path, { all: null, clientContext: null });
    await response.text();
    expect(response.status).toBe(op.successStatus);
  });

  it.each(specOperations())(
    "$operationId: a string for all or a number for clientContext is still a 400",
    async (op) => {
      const bad = op.contract === "current" ? { clientContext: 5 } : { all: "yes" };
      const response = await send(op.path, bad);
      await response.text();
      expect(response.status).toBe(400);
    },
  );
});
