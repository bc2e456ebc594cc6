import { describe, expect, it } from "vitest";
import { openapiDocument } from "../../src/core/spec-document.ts";
import { describeErrors, specValidator } from "../../src/core/spec-validator.ts";
import { collectExamples, type SpecExample } from "./collect-examples.ts";

const doc = openapiDocument as unknown as Record<string, unknown>;
const examples = collectExamples(doc);

function problemsOf(example: SpecExample): string | undefined {
  const validate = specValidator(example.schemaPointer);
  return validate(example.value) ? undefined : describeErrors(validate.errors, "example");
}

describe("every example in the spec validates against its schema (ajv, draft 2020-12)", () => {
  it.each(examples.map((e) => [`${e.where} › ${e.name}`, e] as const))("%s", (_, example) => {
    expect(problemsOf(example)).toBeUndefined();
  });

  it("finds the examples of every kind of place: request bodies, responses, headers, parameters, webhook", () => {
    const places = examples.map((e) => e.where);
    expect(places).toContain("#/components/requestBodies/cancelMediaProcessing/content/application~1json");
    expect(places).toContain("#/components/responses/OperationCreated/content/application~1json");
    expect(places).toContain("#/components/headers/Location");
    expect(places).toContain("#/components/parameters/callId");
    expect(places).toContain("#/webhooks/commsNotifications/post/requestBody/content/application~1json");
  });

  it("validates every named example in components.examples at least once", () => {
    const named = Object.keys((doc.components as { examples: Record<string, unknown> }).examples);
    const used = new Set(
      examples.flatMap((e) => (e.ref ? [e.ref.replace("#/components/examples/", "")] : [])),
    );
    expect(named.filter((name) => !used.has(name))).toEqual([]);
  });

  it("fails for a broken example, naming the field", () => {
    const seed = examples.find((e) => e.ref === "#/components/examples/beta2018Request");
    expect(seed).toBeDefined();
    if (!seed) return;
    expect(problemsOf({ ...seed, value: { all: "yes", clientContext: "x".repeat(257), extra: 1 } })).toBe(
      'example has unknown property "extra"; example/all must be boolean or null; example/clientContext must NOT have more than 256 characters',
    );
    const notification = examples.find((e) => e.ref === "#/components/examples/beta2018Notification");
    expect(notification && problemsOf({ ...notification, value: { value: [{ changeType: 7 }] } })).toMatch(
      /example\/value\/0\/changeType must be string/,
    );
  });
});
