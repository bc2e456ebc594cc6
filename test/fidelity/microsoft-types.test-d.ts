/**
 * Microsoft's own TypeScript types for Graph (`@microsoft/microsoft-graph-types` for v1.0, `-beta`
 * for beta), generated from Graph's metadata, as a second opinion on our spec: field by field, the
 * operation, resultInfo and notification types agree in names and nullability, and enum members are
 * equal up to casing. Where we disagree on purpose, a comment says why.
 */

import type * as V1 from "@microsoft/microsoft-graph-types";
import type * as Beta from "@microsoft/microsoft-graph-types-beta";
import { describe, expectTypeOf, it } from "vitest";
import type { components } from "../../generated/schema.d.ts";
import type { OperationNotification, ResultInfo } from "../../src/notifications/index.ts";

type Schemas = components["schemas"];
type Ours = {
  operation: Schemas["commsOperation"];
  resultInfo: Schemas["resultInfo"];
  notification: Schemas["commsNotification"];
  notifications: Schemas["commsNotifications"];
};
type Nullable<T, K extends keyof T> = null extends T[K] ? true : false;

describe.each([
  [
    "v1.0",
    {} as {
      operation: V1.CommsOperation;
      resultInfo: V1.ResultInfo;
      notification: V1.CommsNotification;
      notifications: V1.CommsNotifications;
      status: V1.OperationStatus;
      changeType: V1.ChangeType;
    },
  ],
  [
    "beta",
    {} as {
      operation: Beta.CommsOperation;
      resultInfo: Beta.ResultInfo;
      notification: Beta.CommsNotification;
      notifications: Beta.CommsNotifications;
      status: Beta.OperationStatus;
      changeType: Beta.ChangeType;
    },
  ],
])("Microsoft's %s types", (_, ms) => {
  type Ms = typeof ms;

  it("commsOperation: every member Microsoft names exists in ours, with the same nullability", () => {
    // Ours has more: `@odata.*`, the 2018 members (createdDateTime, lastActionDateTime, errorInfo).
    expectTypeOf<Exclude<keyof Ms["operation"], keyof Ours["operation"]>>().toEqualTypeOf<never>();
    expectTypeOf<Nullable<Ms["operation"], "clientContext">>().toEqualTypeOf<true>();
    expectTypeOf<Nullable<Ours["operation"], "clientContext">>().toEqualTypeOf<true>();
    expectTypeOf<Nullable<Ms["operation"], "resultInfo">>().toEqualTypeOf<true>();
    expectTypeOf<Nullable<Ours["operation"], "resultInfo">>().toEqualTypeOf<true>();
    // On purpose: Microsoft's types make `status` and `id` non-nullable, but Graph's docs print
    // null for both (commsoperation.md: "notStarted, running or null"; participant-invite.md: "id": null).
    expectTypeOf<Nullable<Ms["operation"], "status">>().toEqualTypeOf<false>();
    expectTypeOf<Nullable<Ours["operation"], "status">>().toEqualTypeOf<true>();
    expectTypeOf<Nullable<Ms["operation"], "id">>().toEqualTypeOf<false>();
    expectTypeOf<Nullable<Ours["operation"], "id">>().toEqualTypeOf<true>();
  });

  it("operationStatus: Microsoft's PascalCase members are ours up to casing, and are accepted as sent", () => {
    expectTypeOf<Uncapitalize<Ms["status"]>>().toEqualTypeOf<Schemas["operationStatus"]>();
    expectTypeOf<Lowercase<Ms["status"]>>().toEqualTypeOf<Lowercase<Schemas["operationStatus"]>>();
    expectTypeOf<Ms["status"]>().toExtend<NonNullable<Ours["operation"]["status"]>>();
    // What our parser hands out names the documented camelCase members (a later member comes as a string).
    expectTypeOf<Schemas["operationStatus"]>().toExtend<NonNullable<OperationNotification["status"]>>();
  });

  it("resultInfo: same members and nullability; codes wider on purpose", () => {
    expectTypeOf<Exclude<keyof Ms["resultInfo"], keyof Ours["resultInfo"]>>().toEqualTypeOf<never>();
    expectTypeOf<Nullable<Ms["resultInfo"], "message">>().toEqualTypeOf<true>();
    expectTypeOf<Nullable<Ours["resultInfo"], "message">>().toEqualTypeOf<true>();
    // On purpose: codes are integers for Microsoft, but strings in 2018 and in call-delete.md ("200").
    expectTypeOf<Ms["resultInfo"]["code"]>().toExtend<Ours["resultInfo"]["code"]>();
    expectTypeOf<Ms["resultInfo"]["subcode"]>().toExtend<Ours["resultInfo"]["subcode"]>();
    // The normalised result info keeps Microsoft's member names, without nulls.
    expectTypeOf<keyof ResultInfo>().toEqualTypeOf<keyof Ms["resultInfo"]>();
  });

  it("commsNotification: Microsoft's members exist in ours; changeType equal up to casing", () => {
    // On purpose: ours also has `resourceData` (the changed resource, which every payload carries) and
    // `resource` (the 2018 name of `resourceUrl`), both missing from Microsoft's types.
    expectTypeOf<Exclude<keyof Ms["notification"], keyof Ours["notification"]>>().toEqualTypeOf<never>();
    expectTypeOf<"resourceData" | "resource">().toExtend<
      Exclude<keyof Ours["notification"], keyof Ms["notification"]>
    >();
    expectTypeOf<Ms["changeType"]>().toEqualTypeOf<Schemas["changeType"]>();
    expectTypeOf<Capitalize<Ms["changeType"]>>().toExtend<Ours["notification"]["changeType"]>();
  });

  it("commsNotifications: the same member; `value` required and never null on purpose", () => {
    expectTypeOf<Exclude<keyof Ms["notifications"], keyof Ours["notifications"]>>().toEqualTypeOf<never>();
    // Microsoft's generator marks every collection NullableOption; OData collection-valued properties
    // are never null (Nullable speaks of their items), and every printed batch has `value`.
    expectTypeOf<Nullable<Ms["notifications"], "value">>().toEqualTypeOf<true>();
    expectTypeOf<Nullable<Ours["notifications"], "value">>().toEqualTypeOf<false>();
  });
});
