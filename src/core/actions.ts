import { actionPaths } from "../../generated/constraints.ts";
import type { paths } from "../../generated/schema.d.ts";

/**
 * The one registry of the spec's actions on a call, shared by the client and the mocks. Each POST
 * operation of `spec/openapi.yaml` names its action (`x-graph-action`); `npm run generate` writes
 * `actionPaths` (action → call base → spec path) from them, so a new action in the spec is a new
 * entry here, a new client method and a new mock route, with no hand edit.
 */
export { actionPaths };

/** An action of the spec on a call: `cancelMediaProcessing`, `playPrompt`, `recordResponse`. */
export type ActionName = keyof typeof actionPaths;

/** Where a call's actions are addressed, such as `/app/calls/{callId}` or `/communications/calls/{callId}`. */
export type CallBase = { [A in ActionName]: keyof (typeof actionPaths)[A] }[ActionName];

/** Any POST path of the spec. */
export type ActionPath = keyof paths;

/** The spec path serving action `A` under call base `B` (the 2018 `record` serves `recordResponse` under `/app`). */
export type PathOf<A extends ActionName, B extends CallBase> = B extends keyof (typeof actionPaths)[A]
  ? (typeof actionPaths)[A][B]
  : never;

/** The call base of a spec path: the path without its last segment, the action. */
export type BaseOf<P extends string> = P extends `${infer B}/${infer Last}`
  ? Last extends `${string}/${string}`
    ? `${B}/${BaseOf<Last>}`
    : B
  : never;

/** The request body of a spec path, from the spec. */
export type ActionBody<P extends ActionPath> = paths[P]["post"]["requestBody"]["content"]["application/json"];

/** The operation a path answers with in its `200` body, or `never` when it answers with no body (`202`). */
export type OperationBody<P extends ActionPath> = paths[P]["post"]["responses"] extends {
  200: { content: { "application/json": infer Body } };
}
  ? Body
  : never;

/** Every action of the spec, in the spec's order. */
export const actionNames = Object.keys(actionPaths) as ActionName[];

/** The call base of a spec path (or a request URL built from one): everything before its last segment. */
export function callBaseOf(path: string): string {
  return path.slice(0, path.lastIndexOf("/"));
}

/** The spec path serving `action` under `base`, or `undefined` when the spec has none there. */
export function actionPath(action: ActionName, base: string): ActionPath | undefined {
  const byBase: Readonly<Record<string, string>> = actionPaths[action];
  return Object.hasOwn(byBase, base) ? (byBase[base] as ActionPath) : undefined;
}

/** The spec paths of the action that `path` serves (the path itself included). */
export function sameActionPaths(path: string): ActionPath[] {
  for (const name of actionNames) {
    const all = Object.values(actionPaths[name]) as ActionPath[];
    if (all.includes(path as ActionPath)) return all;
  }
  return [];
}
