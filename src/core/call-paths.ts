import { requestBodyFields } from "../../generated/constraints.ts";
import type { paths } from "../../generated/schema.d.ts";
import { type ActionBody, type ActionPath, actionPaths } from "./actions.ts";

type CancelPaths = (typeof actionPaths)["cancelMediaProcessing"];

/** A cancelMediaProcessing path of the spec, such as `"/app/calls/{callId}/cancelMediaProcessing"`. */
export type CallsPath = CancelPaths[keyof CancelPaths];

/** The path used when the `path` option is not given: the 2018 beta contract's `/app/calls/{callId}`. */
export type DefaultCallsPath = "/app/calls/{callId}/cancelMediaProcessing";

/** The request body of a cancelMediaProcessing path (the `all` field exists only on the 2018 paths); see `ActionBody`. */
export type CancelMediaProcessingBody<P extends CallsPath> = ActionBody<P>;

/** The path parameters of a path other than `callId` (such as `appId`): given once, as client options. */
export type ClientPathParams<P extends CallsPath> = Omit<paths[P]["post"]["parameters"]["path"], "callId">;

/** The path the client uses when the `path` option is not given. */
export const defaultCallsPath: DefaultCallsPath = "/app/calls/{callId}/cancelMediaProcessing";

/**
 * Every path of the spec, with the body fields it accepts and their rules, for the checks made
 * before a request. The table is generated from the spec (`generated/constraints.ts`) and
 * type-checked against the generated `paths`: a path or a body field missing here is a compile
 * error (and the test-d file checks that it holds no field the types lack).
 */
export const callsPaths = requestBodyFields satisfies {
  [P in ActionPath]: { readonly [F in keyof ActionBody<P>]-?: unknown };
};

/** Whether a value is one of the spec's cancelMediaProcessing paths. */
export function isCallsPath(value: unknown): value is CallsPath {
  return (Object.values(actionPaths.cancelMediaProcessing) as unknown[]).includes(value);
}

/** The names of a path's parameters other than `callId`, in order. */
export function clientPathParamNames(path: CallsPath): string[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].flatMap((match) =>
    match[1] && match[1] !== "callId" ? [match[1]] : [],
  );
}
