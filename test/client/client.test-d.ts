import { describe, expectTypeOf, it } from "vitest";
import type { components } from "../../generated/schema.d.ts";
import { type CallsClient, createCallsClient, type OperationRef } from "../../src/client/index.ts";

type Schemas = components["schemas"];
declare const callId: string;

describe("request body types come from the spec", () => {
  it("accepts the seed body on the default /app path", () => {
    const client = createCallsClient({ token: "t" });
    expectTypeOf(client).toEqualTypeOf<CallsClient<"/app/calls/{callId}/cancelMediaProcessing">>();
    expectTypeOf(client.cancelMediaProcessing)
      .parameter(1)
      .toEqualTypeOf<Schemas["cancelMediaProcessingRequest"] | undefined>();
    void client.cancelMediaProcessing(callId, { all: true, clientContext: "ctx-1" });
  });

  it("rejects wrong body fields", () => {
    const client = createCallsClient({ token: "t" });
    // @ts-expect-error: unknown field
    void client.cancelMediaProcessing(callId, { al: true });
    // @ts-expect-error: all is a boolean
    void client.cancelMediaProcessing(callId, { all: "yes" });
    // @ts-expect-error: clientContext is a string
    void client.cancelMediaProcessing(callId, { clientContext: 5 });
    // @ts-expect-error: exactOptionalPropertyTypes: absent, not undefined
    void client.cancelMediaProcessing(callId, { all: undefined });
    // @ts-expect-error: call id is a string
    void client.cancelMediaProcessing(42);
  });

  it("has no `all` on the current /communications path", () => {
    const client = createCallsClient({
      token: "t",
      path: "/communications/calls/{callId}/cancelMediaProcessing",
    });
    expectTypeOf(client.cancelMediaProcessing)
      .parameter(1)
      .toEqualTypeOf<Schemas["cancelMediaProcessingCurrentRequest"] | undefined>();
    void client.cancelMediaProcessing(callId, { clientContext: "ctx" });
    // @ts-expect-error: `all` was removed in 2019
    void client.cancelMediaProcessing(callId, { all: true });
  });
});

describe("options types", () => {
  it("requires appId exactly on the /applications path", () => {
    createCallsClient({
      token: "t",
      path: "/applications/{appId}/calls/{callId}/cancelMediaProcessing",
      appId: "a",
    });
    // @ts-expect-error: appId is required there
    createCallsClient({ token: "t", path: "/applications/{appId}/calls/{callId}/cancelMediaProcessing" });
    // @ts-expect-error: no appId on the /app path
    createCallsClient({ token: "t", appId: "a" });
  });

  it("rejects paths not in the spec, and a missing token", () => {
    // @ts-expect-error: not a path of the spec
    createCallsClient({ token: "t", path: "/calls/{callId}" });
    // @ts-expect-error: token is required
    createCallsClient({});
    // @ts-expect-error: a token function returns a string
    createCallsClient({ token: () => 5 });
  });
});

describe("result types are exact", () => {
  it("on the 2018-only /applications path: ids and Location, no operation body", async () => {
    const op = await createCallsClient({
      token: "t",
      path: "/applications/{appId}/calls/{callId}/cancelMediaProcessing",
      appId: "app",
    }).cancelMediaProcessing(callId);
    expectTypeOf(op.callId).toEqualTypeOf<string>();
    expectTypeOf(op.operationId).toEqualTypeOf<string>();
    expectTypeOf(op.location).toEqualTypeOf<string>();
    expectTypeOf(op.operation).toEqualTypeOf<undefined>();
    expectTypeOf(op.status).toEqualTypeOf<undefined>();
  });

  it("on /app: 202 (2018) or 200 with the operation (present-day beta), so the body may be there", async () => {
    const op = await createCallsClient({ token: "t" }).cancelMediaProcessing(callId);
    expectTypeOf(op).toEqualTypeOf<OperationRef<"/app/calls/{callId}/cancelMediaProcessing">>();
    expectTypeOf(op.operation).toEqualTypeOf<Schemas["cancelMediaProcessingOperation"] | undefined>();
    // Normalised: the documented camelCase members whatever casing the body had, or a later member as sent.
    expectTypeOf(op.status).toEqualTypeOf<Schemas["operationStatus"] | (string & {}) | undefined>();
  });

  it("on /communications: the 200 body's operation and status, from the spec", async () => {
    const client = createCallsClient({
      token: "t",
      path: "/communications/calls/{callId}/cancelMediaProcessing",
    });
    const op = await client.cancelMediaProcessing(callId);
    expectTypeOf(op.operation).toEqualTypeOf<Schemas["cancelMediaProcessingOperation"] | undefined>();
    expectTypeOf(op.status).toEqualTypeOf<Schemas["operationStatus"] | (string & {}) | undefined>();
  });
});

describe("the actions' types come from the spec's paths", () => {
  it("types each action's body and answer by the client's call base", async () => {
    const current = createCallsClient({
      token: "t",
      path: "/communications/calls/{callId}/cancelMediaProcessing",
    });
    expectTypeOf(current.playPrompt)
      .parameter(1)
      .toEqualTypeOf<Schemas["playPromptCurrentRequest"] | undefined>();
    expectTypeOf(current.recordResponse)
      .parameter(1)
      .toEqualTypeOf<Schemas["recordResponseCurrentRequest"] | undefined>();
    const op = await current.recordResponse(callId);
    expectTypeOf(op.operation).toEqualTypeOf<Schemas["recordOperation"] | undefined>();
    const seed = createCallsClient({ token: "t" });
    expectTypeOf(seed.recordResponse).parameter(1).toEqualTypeOf<Schemas["record2018Request"] | undefined>();
    // @ts-expect-error `loop` is a current playPrompt field; the 2018 body has prompts and clientContext only
    seed.playPrompt(callId, { loop: true });
  });
});
