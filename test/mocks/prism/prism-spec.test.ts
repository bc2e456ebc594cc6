import { describe, expect, it } from "vitest";
import { resolveSpecRef, type SpecNode, specDocument } from "../../../src/core/spec-document.ts";
import { preparePrismSpec } from "../../../src/mocks/prism/prism-spec.ts";
import { specOperations } from "../../../src/mocks/spec-operations.ts";

const callbackUrl = "http://127.0.0.1:3978/api/calls";

function resolveIn(document: SpecNode, node: unknown): SpecNode {
  return resolveSpecRef(node, document);
}

describe("preparePrismSpec", () => {
  const prepared = preparePrismSpec({ callbackUrl });

  it.each(specOperations())(
    "sends $operationId's callback to the callback URL with the $flavour example only",
    (op) => {
      const post = resolveIn(prepared, (prepared.paths as SpecNode)[op.path]).post as SpecNode;
      const callbacks = (post.callbacks as SpecNode).commsNotifications as SpecNode;
      expect(Object.keys(callbacks)).toEqual([callbackUrl]);
      const callbackPost = resolveIn(prepared, callbacks[callbackUrl]).post as SpecNode;
      const body = resolveIn(prepared, callbackPost.requestBody);
      const media = resolveIn(prepared, (body.content as SpecNode)["application/json"]);
      expect(Object.keys(media.examples as SpecNode)).toEqual([op.flavour]);
      expect(resolveIn(prepared, (media.examples as SpecNode)[op.flavour]).value).toEqual(
        resolveSpecRef({ $ref: `#/components/examples/${op.notificationExample}` }).value,
      );
    },
  );

  it.each(specOperations())("keeps only the $flavour Location example on $operationId's success", (op) => {
    const post = resolveIn(prepared, (prepared.paths as SpecNode)[op.path]).post as SpecNode;
    const success = resolveIn(prepared, (post.responses as SpecNode)[String(op.successStatus)]);
    const location = resolveIn(prepared, (success.headers as SpecNode).Location);
    expect(Object.keys(location.examples as SpecNode)).toEqual([op.flavour]);
    const value = String(resolveIn(prepared, (location.examples as SpecNode)[op.flavour]).value);
    expect(new URL(value).pathname).toContain(`${op.resourcePrefix}/calls/`);
  });

  it("leaves the bundled spec itself untouched", () => {
    const callbacks = (specDocument.components as SpecNode).callbacks as SpecNode;
    expect(Object.keys(callbacks.commsNotifications as SpecNode)).toEqual([
      "https://bot.contoso.com/api/calls",
    ]);
    expect(Object.keys((prepared.components as SpecNode).callbacks as SpecNode)).toEqual([
      "commsNotifications",
    ]);
    expect(prepared).not.toBe(specDocument);
  });
});
