import { describe, expectTypeOf, it } from "vitest";
import type { paths } from "../../generated/schema.d.ts";
import type { CallsPath, CancelMediaProcessingBody, callsPaths } from "../../src/core/call-paths.ts";

type Listed = keyof typeof callsPaths;
type Fields<P extends CallsPath> = keyof (typeof callsPaths)[P];

describe("the client's path table matches the spec", () => {
  it("lists every path of the spec, and nothing else", () => {
    expectTypeOf<Listed>().toEqualTypeOf<keyof paths>();
  });

  it("lists every body field of every path", () => {
    expectTypeOf<Fields<"/app/calls/{callId}/cancelMediaProcessing">>().toEqualTypeOf<
      keyof CancelMediaProcessingBody<"/app/calls/{callId}/cancelMediaProcessing">
    >();
    expectTypeOf<Fields<"/applications/{appId}/calls/{callId}/cancelMediaProcessing">>().toEqualTypeOf<
      keyof CancelMediaProcessingBody<"/applications/{appId}/calls/{callId}/cancelMediaProcessing">
    >();
    expectTypeOf<Fields<"/communications/calls/{callId}/cancelMediaProcessing">>().toEqualTypeOf<
      keyof CancelMediaProcessingBody<"/communications/calls/{callId}/cancelMediaProcessing">
    >();
  });
});
