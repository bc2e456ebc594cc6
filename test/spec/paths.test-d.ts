import { describe, expectTypeOf, it } from "vitest";
import type { components, paths, webhooks } from "../../generated/schema.d.ts";
import type beta2018Request from "../fixtures/seed-request.json";

type JsonBody<Op> = Op extends { requestBody: { content: { "application/json": infer Body } } }
  ? Body
  : never;
type SeedBody = JsonBody<paths["/app/calls/{callId}/cancelMediaProcessing"]["post"]>;
type ApplicationsBody = JsonBody<paths["/applications/{appId}/calls/{callId}/cancelMediaProcessing"]["post"]>;
type CurrentBody = JsonBody<paths["/communications/calls/{callId}/cancelMediaProcessing"]["post"]>;
type NotificationBody = JsonBody<webhooks["commsNotifications"]["post"]>;

describe("generated paths", () => {
  it("accept the seed's request on the seed paths", () => {
    expectTypeOf<typeof beta2018Request>().toExtend<SeedBody>();
    expectTypeOf<typeof beta2018Request>().toExtend<ApplicationsBody>();
    const body: SeedBody = { all: true, clientContext: "clientContext-value" };
    expectTypeOf(body).toEqualTypeOf<SeedBody>();
  });

  it('reject a body with all: "yes" or an unknown field', () => {
    // @ts-expect-error all must be a boolean
    const wrongType: SeedBody = { all: "yes" };
    // @ts-expect-error unknown field
    const unknownField: SeedBody = { all: true, extra: 1 };
    // @ts-expect-error the current contract has no `all`
    const removedField: CurrentBody = { all: true };
    expectTypeOf(wrongType).not.toBeAny();
    expectTypeOf(unknownField).not.toBeAny();
    expectTypeOf(removedField).not.toBeAny();
  });

  it("type the 202 Location header and the 200 body", () => {
    type Seed202 = paths["/app/calls/{callId}/cancelMediaProcessing"]["post"]["responses"][202];
    expectTypeOf<Seed202["headers"]["Location"]>().toEqualTypeOf<string>();
    expectTypeOf<Seed202["content"]>().toEqualTypeOf<undefined>();
    type Current200 = paths["/communications/calls/{callId}/cancelMediaProcessing"]["post"]["responses"][200];
    expectTypeOf<Current200["content"]["application/json"]>().toEqualTypeOf<
      components["schemas"]["cancelMediaProcessingOperation"]
    >();
  });

  it("type the webhook payload", () => {
    expectTypeOf<NotificationBody>().toEqualTypeOf<components["schemas"]["commsNotifications"]>();
    const notification: NotificationBody = {
      value: [
        {
          changeType: "deleted",
          resource: "/app/calls/c/operations/o",
          resourceData: { status: "completed" },
        },
      ],
    };
    // changeType is an evolvable enum: a member the spec does not list is still a string Graph may send.
    const wrongChange: NotificationBody = { value: [{ changeType: "moved", resourceUrl: "/x" }] };
    // @ts-expect-error changeType is a string
    const notString: NotificationBody = { value: [{ changeType: 5, resourceUrl: "/x" }] };
    expectTypeOf(notString).not.toBeAny();
    expectTypeOf(notification).not.toBeAny();
    expectTypeOf(wrongChange).not.toBeAny();
    expectTypeOf<components["schemas"]["operationStatus"]>().toEqualTypeOf<
      "notStarted" | "running" | "completed" | "failed"
    >();
  });
});
