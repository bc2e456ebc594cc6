import { describe, expect, it } from "vitest";
import { parseOperationPath } from "../../../src/core/operation-path.ts";
import {
  resolveSpecRef,
  type SpecNode,
  specDocument,
  specExampleObject,
} from "../../../src/core/spec-document.ts";
import { describeErrors, specValidator } from "../../../src/core/spec-validator.ts";
import { InvalidArgumentError } from "../../../src/mocks/index.ts";
import { preparePrismSpec } from "../../../src/mocks/prism/prism-spec.ts";
import { type SpecOperation, specOperations } from "../../../src/mocks/spec-operations.ts";

const callbackUrl = "http://127.0.0.1:3978/api/calls";

function resolveIn(document: SpecNode, node: unknown): SpecNode {
  return resolveSpecRef(node, document);
}

describe("preparePrismSpec", () => {
  const prepared = preparePrismSpec({ callbackUrl });

  function callbackNotification(document: SpecNode, op: SpecOperation, path: string = op.path) {
    const post = resolveIn(document, (document.paths as SpecNode)[path]).post as SpecNode;
    const callbacks = (post.callbacks as SpecNode).commsNotifications as SpecNode;
    expect(Object.keys(callbacks)).toEqual([callbackUrl]);
    const callbackPost = resolveIn(document, callbacks[callbackUrl]).post as SpecNode;
    const body = resolveIn(document, callbackPost.requestBody);
    const media = resolveIn(document, (body.content as SpecNode)["application/json"]);
    const examples = media.examples as SpecNode;
    expect(Object.keys(examples)).toHaveLength(1);
    const success = resolveIn(document, (post.responses as SpecNode)[String(op.successStatus)]);
    const location = resolveIn(document, (success.headers as SpecNode).Location);
    const locationValue = String(resolveIn(document, (location.examples as SpecNode)[op.contract]).value);
    const successBody = isBodyExample(document, success);
    return {
      batch: resolveIn(document, Object.values(examples)[0]).value as {
        value: { resource?: string; resourceUrl?: string; resourceData: SpecNode }[];
      },
      location: locationValue,
      successBody,
    };
  }

  function isBodyExample(document: SpecNode, success: SpecNode): SpecNode | undefined {
    const content = success.content as SpecNode | undefined;
    if (!content) return undefined;
    const media = resolveIn(document, content["application/json"]);
    return resolveIn(document, Object.values(media.examples as SpecNode)[0]).value as SpecNode;
  }

  const notifying = specOperations().filter((op) => !op.finalAnswer);
  const final = specOperations().filter((op) => op.finalAnswer);

  it("knows which answers are final: the 200 with a completed operation (/app today, /communications)", () => {
    expect(final.map((op) => op.path).sort()).toEqual([
      "/app/calls/{callId}/cancelMediaProcessing",
      "/communications/calls/{callId}/cancelMediaProcessing",
    ]);
    expect(notifying.map((op) => op.path)).toContain(
      "/applications/{appId}/calls/{callId}/cancelMediaProcessing",
    );
  });

  // commsOperation.md: "If for example, an operation with status of completed or failed is
  // returned, there won't be any subsequent operation via the notification channel."
  it.each(final)("$operationId answers a completed operation, so it has no callback at all", (op) => {
    for (const path of [op.path, `/beta${op.path}`]) {
      const post = resolveIn(prepared, (prepared.paths as SpecNode)[path]).post as SpecNode;
      expect(post.callbacks).toBeUndefined();
    }
  });

  it.each(notifying)(
    "$operationId's callback goes to the callback URL and tells the story of its success: that operation, completed",
    (op) => {
      const { batch, location, successBody } = callbackNotification(prepared, op);
      const validate = specValidator("#/components/schemas/commsNotifications");
      expect(validate(batch), describeErrors(validate.errors)).toBe(true);
      expect(batch.value).toHaveLength(1);
      const entry = batch.value[0];
      expect(parseOperationPath(String(entry?.resourceUrl ?? entry?.resource))).toEqual(
        parseOperationPath(location),
      );
      expect(entry?.resourceData.status).toBe("completed");
      // As the spec's notification example of that action prints it (none for a cancel operation).
      const example = specExampleObject(op.notificationExample) as { value: { resourceData: SpecNode }[] };
      const printed =
        op.action === "cancelMediaProcessing" ? undefined : example.value[0]?.resourceData.resultInfo;
      expect(entry?.resourceData.resultInfo).toEqual(printed);
      // The 200 body (where there is one) and the notification agree on the operation.
      if (successBody) {
        expect(successBody.status).toBe("running"); // not final: a notification follows
        expect(entry?.resourceData.clientContext).toBe(successBody.clientContext);
        // The notification names the operation of the Location Prism sends. (The spec's shared Location
        // example names the cancel operation's id, while the media bodies' examples carry their own.)
        expect(parseOperationPath(String(entry?.resourceUrl ?? entry?.resource))?.operationId).toBe(
          parseOperationPath(location)?.operationId,
        );
      }
    },
  );

  it.each(notifying)(
    "$operationId with notificationStatus failed: the same operation, failed with resultInfo",
    (op) => {
      const failed = preparePrismSpec({ callbackUrl, notificationStatus: "failed" });
      const { batch, location } = callbackNotification(failed, op);
      const entry = batch.value[0];
      expect(parseOperationPath(String(entry?.resourceUrl ?? entry?.resource))).toEqual(
        parseOperationPath(location),
      );
      expect(entry?.resourceData).toMatchObject({
        status: "failed",
        resultInfo: { code: 400, subcode: 8508 },
      });
    },
  );

  it("lists every path also under the versions the spec serves it in, with unique operation ids", () => {
    const paths = Object.keys(prepared.paths as SpecNode);
    expect(paths).toEqual(
      expect.arrayContaining([
        "/beta/app/calls/{callId}/cancelMediaProcessing",
        "/beta/applications/{appId}/calls/{callId}/cancelMediaProcessing",
        "/beta/communications/calls/{callId}/cancelMediaProcessing",
        "/v1.0/communications/calls/{callId}/cancelMediaProcessing",
      ]),
    );
    expect(paths).not.toContain("/v1.0/app/calls/{callId}/cancelMediaProcessing");
    expect(paths).toEqual(
      expect.arrayContaining([
        "/communications/calls/{callId}/microsoft.graph.cancelMediaProcessing",
        "/v1.0/communications/calls/{callId}/microsoft.graph.cancelMediaProcessing",
        "/beta/app/calls/{callId}/microsoft.graph.cancelMediaProcessing",
      ]),
    );
    const ids = paths.map(
      (path) => ((prepared.paths as SpecNode)[path] as { post: { operationId: string } }).post.operationId,
    );
    expect(new Set(ids).size).toBe(ids.length);
    const application = notifying.find((op) => op.path.startsWith("/applications/")) as SpecOperation;
    expect(callbackNotification(prepared, application, `/beta${application.path}`).batch).toEqual(
      callbackNotification(prepared, application).batch,
    );
  });

  it.each([
    [
      { callbackUrl: "http://127.0.0.1:3978/api/calls?t={$request.header.authorization}" },
      /must not contain \{ or \}/,
    ],
    [
      { callbackUrl, notificationStatus: "running" },
      /options.notificationStatus must be "completed" or "failed"/,
    ],
    [
      { callbackUrl, notificationstatus: "failed" },
      /options.notificationstatus is not allowed \(did you mean "notificationStatus"\?\)/,
    ],
    [{ callbackURL: callbackUrl }, /did you mean "callbackUrl"\?/],
  ])("refuses %j with InvalidArgumentError", (options, message) => {
    expect(() => preparePrismSpec(options as never)).toThrow(InvalidArgumentError);
    expect(() => preparePrismSpec(options as never)).toThrow(message);
  });

  it.each(specOperations())("keeps only the $contract Location example on $operationId's success", (op) => {
    const post = resolveIn(prepared, (prepared.paths as SpecNode)[op.path]).post as SpecNode;
    const success = resolveIn(prepared, (post.responses as SpecNode)[String(op.successStatus)]);
    const location = resolveIn(prepared, (success.headers as SpecNode).Location);
    expect(Object.keys(location.examples as SpecNode)).toEqual([op.contract]);
    const value = String(resolveIn(prepared, (location.examples as SpecNode)[op.contract]).value);
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
