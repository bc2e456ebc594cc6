import { describe, expect, it } from "vitest";
import openapi from "../../generated/openapi.json" with { type: "json" };
import { renderConstraints } from "../../scripts/render-generated.ts";

/** The bundled spec with one more property on the current path's request body schema. */
function withCurrentBodyField(name: string, schema: Record<string, unknown>): Record<string, unknown> {
  const bundled = structuredClone(openapi) as unknown as {
    components: { schemas: Record<string, { properties: Record<string, unknown> }> };
  };
  const body = bundled.components.schemas.cancelMediaProcessingCurrentRequest;
  if (!body) throw new Error("fixture: the spec has no cancelMediaProcessingCurrentRequest");
  body.properties[name] = schema;
  return bundled as unknown as Record<string, unknown>;
}

describe("renderConstraints (the client's body rules, generated from the spec)", () => {
  it("carries each field's type and maxLength, following $refs", () => {
    const rendered = renderConstraints(openapi as unknown as Record<string, unknown>);
    // Both are nullable in the spec (`type: [boolean, "null"]`): the rule says so.
    expect(rendered).toContain('"all": {\n      "type": "boolean",\n      "nullable": true\n    }');
    expect(rendered).toContain(
      '"clientContext": {\n      "type": "string",\n      "nullable": true,\n      "maxLength": 256\n    }',
    );
  });

  it("lists a field the spec adds, with its rule", () => {
    const rendered = renderConstraints(withCurrentBodyField("note", { type: "string", maxLength: 5 }));
    expect(rendered).toContain('"note": {\n      "type": "string",\n      "maxLength": 5\n    }');
  });

  it("refuses a field type the client cannot check, naming the path and the field", () => {
    expect(() => renderConstraints(withCurrentBodyField("options", { type: "object" }))).toThrow(
      'spec: /communications/calls/{callId}/cancelMediaProcessing body field "options" has type "object"; the client checks only array, boolean, integer, number, string (each optionally with "null")',
    );
  });

  it("gives each path its default server: the path item's own, else the spec's first", () => {
    const bundled = structuredClone(openapi) as unknown as {
      servers: Array<{ url: string }>;
      paths: Record<string, { servers?: Array<{ url: string }> }>;
    };
    const current = bundled.paths["/communications/calls/{callId}/cancelMediaProcessing"];
    const seed = bundled.paths["/app/calls/{callId}/cancelMediaProcessing"];
    if (!current || !seed) throw new Error("fixture: missing paths");
    bundled.servers = [{ url: "https://graph.example/v9" }];
    delete current.servers;
    seed.servers = [{ url: "https://graph.example/beta-own" }];
    const rendered = renderConstraints(bundled as unknown as Record<string, unknown>);
    expect(rendered).toContain(
      '"/communications/calls/{callId}/cancelMediaProcessing": "https://graph.example/v9"',
    );
    expect(rendered).toContain(
      '"/app/calls/{callId}/cancelMediaProcessing": "https://graph.example/beta-own"',
    );
  });
});
