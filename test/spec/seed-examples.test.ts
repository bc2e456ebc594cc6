import { describe, expect, it } from "vitest";
import { openapiDocument } from "../../src/core/spec-document.ts";
import seedNotification from "../fixtures/seed-notification.json" with { type: "json" };
import seedRequest from "../fixtures/seed-request.json" with { type: "json" };
import seedResponse from "../fixtures/seed-response.json" with { type: "json" };

const { components, paths } = openapiDocument;
const seedPaths = [
  "/app/calls/{callId}/cancelMediaProcessing",
  "/applications/{appId}/calls/{callId}/cancelMediaProcessing",
] as const;

describe("the seed page's three examples are in the spec verbatim", () => {
  it("request body", () => {
    expect(components.examples.seedRequest.value).toEqual(seedRequest);
    expect(
      components.requestBodies.cancelMediaProcessing.content["application/json"].examples.seed.$ref,
    ).toBe("#/components/examples/seedRequest");
  });

  it("202 Accepted with Location and no body, on both seed paths", () => {
    expect(components.examples.seedLocation.value).toBe(seedResponse.headers.Location);
    for (const path of seedPaths) {
      const responses = paths[path].post.responses as Record<string, { $ref?: string }>;
      expect(responses[String(seedResponse.status)]?.$ref).toBe("#/components/responses/Accepted");
    }
    // Present-day beta documents 200 + the operation on /app; /applications exists only in 2018.
    const successes = (path: (typeof seedPaths)[number]) =>
      Object.keys(paths[path].post.responses).filter((status) => status.startsWith("2"));
    expect(successes("/app/calls/{callId}/cancelMediaProcessing")).toEqual(["200", "202"]);
    expect(successes("/applications/{appId}/calls/{callId}/cancelMediaProcessing")).toEqual(["202"]);
    expect(components.responses.Accepted).not.toHaveProperty("content");
    expect(components.headers.Location.required).toBe(true);
    expect(components.headers.Location.examples.seed.$ref).toBe("#/components/examples/seedLocation");
  });

  it("the operation-completed notification", () => {
    expect(components.examples.seedNotification.value).toEqual(seedNotification);
    expect(
      openapiDocument.webhooks.commsNotifications.post.requestBody.content["application/json"].examples.seed
        .$ref,
    ).toBe("#/components/examples/seedNotification");
  });
});
