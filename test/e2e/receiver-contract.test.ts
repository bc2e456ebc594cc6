/**
 * The notification receiver answers only what the spec's commsNotifications webhook declares, with
 * the declared body: each answer is checked against `webhooks.commsNotifications.post.responses`.
 */
import { describe, expect, it } from "vitest";
import { followRefs } from "../../src/core/json-pointer.ts";
import { openapiDocument } from "../../src/core/spec-document.ts";
import { describeErrors, specValidator } from "../../src/core/spec-validator.ts";
import { createNotificationHandler } from "../../src/notifications/index.ts";
import seedNotification from "../fixtures/seed-notification.json" with { type: "json" };
import { appId } from "../support/seed-ids.ts";

const declared = openapiDocument.webhooks.commsNotifications.post.responses as Record<string, unknown>;

/**
 * The schema pointer of the body the webhook declares for `status`: `""` for a declared answer
 * without a body, `undefined` for an undeclared status.
 */
function declaredSchema(status: number): string | undefined {
  const reference = declared[String(status)];
  if (reference === undefined) return undefined;
  const response = followRefs(openapiDocument, reference) as {
    content?: { "application/json"?: { schema?: { $ref?: string } } };
  };
  return response.content?.["application/json"]?.schema?.$ref ?? "";
}

const handler = (onNotification: () => void = () => {}) =>
  createNotificationHandler({
    appId,
    auth: false,
    maxBodyBytes: 4096,
    onNotification,
    logger: { warn: () => {}, error: () => {} },
  });

const post = (body: string, contentType = "application/json") =>
  new Request("http://127.0.0.1/api/calls", {
    method: "POST",
    headers: { "content-type": contentType },
    body,
  });

describe("the receiver's answers are the ones the spec declares", () => {
  it.each([
    ["202, accepted", 202, () => handler()(post(JSON.stringify(seedNotification)))],
    ["400, not JSON", 400, () => handler()(post("{"))],
    ["400, not a batch", 400, () => handler()(post(JSON.stringify({ value: {} })))],
    ["413, too large", 413, () => handler()(post(JSON.stringify({ value: ["x".repeat(5000)] })))],
    ["415, not JSON", 415, () => handler()(post("value", "text/plain"))],
    [
      "500, the bot's callback threw",
      500,
      () =>
        handler(() => {
          throw new Error("bot bug");
        })(post(JSON.stringify(seedNotification))),
    ],
  ] as const)("%s", async (_, status, send) => {
    const response = await send();
    expect(response.status).toBe(status);
    const schema = declaredSchema(status);
    expect(schema, `status ${status} is not declared in the spec`).toBeDefined();
    if (!schema) return;
    const text = await response.text();
    if (schema === "") {
      expect(text).toBe("");
      return;
    }
    const validate = specValidator(schema);
    const body: unknown = JSON.parse(text);
    expect(validate(body), describeErrors(validate.errors)).toBe(true);
  });

  it("401 for a missing token, when auth is on", async () => {
    const secured = createNotificationHandler({
      appId,
      auth: { openIdConfigurationUrl: "http://127.0.0.1:9/none", fetchTimeoutMs: 200 },
      onNotification: () => {},
    });
    const response = await secured(post(JSON.stringify(seedNotification)));
    expect(response.status).toBe(401);
    const validate = specValidator(declaredSchema(401) ?? "missing");
    expect(validate(await response.json()), describeErrors(validate.errors)).toBe(true);
  });
});
