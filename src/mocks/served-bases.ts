import { type GraphPath, specOperations } from "./spec-operations.ts";

/** One base URL the MSW handlers answer on, with the spec paths served under it. */
export interface ServedBase {
  /** The base URL without a trailing slash, such as `http://127.0.0.1:4010/beta`. */
  base: string;
  /** The spec path templates served under it. */
  paths: GraphPath[];
}

/**
 * The version segments of the spec's servers (`/beta`, `/v1.0`), each with the paths the spec
 * serves there: Graph puts the version first, and Microsoft's Graph SDK always sends one.
 *
 * @example
 * specVersions().get("/v1.0"); // ["/communications/calls/{callId}/cancelMediaProcessing"]
 */
export function specVersions(): Map<string, GraphPath[]> {
  const versions = new Map<string, GraphPath[]>();
  for (const op of specOperations()) {
    for (const server of op.servers) {
      const version = new URL(server).pathname.replace(/\/+$/, "");
      if (version === "") continue;
      const paths = versions.get(version) ?? [];
      if (!paths.includes(op.path)) paths.push(op.path);
      versions.set(version, paths);
    }
  }
  return versions;
}

/**
 * Where the handlers answer. Without `baseUrls`: the spec's servers, each with its own paths.
 * With them: every path on each base and, for a base that names no version (such as
 * `http://127.0.0.1:4010`), also under each version segment with the paths the spec serves there
 * (`{base}/beta/app/...`, `{base}/v1.0/communications/...`).
 *
 * @example
 * servedBases(["http://127.0.0.1:4010"]).map((b) => b.base);
 * // ["http://127.0.0.1:4010", "http://127.0.0.1:4010/beta", "http://127.0.0.1:4010/v1.0"]
 */
export function servedBases(baseUrls: readonly string[] | undefined): ServedBase[] {
  const served = new Map<string, Set<GraphPath>>();
  const add = (base: string, paths: readonly GraphPath[]) => {
    const set = served.get(base) ?? new Set<GraphPath>();
    for (const path of paths) set.add(path);
    served.set(base, set);
  };
  const all = specOperations().map((op) => op.path);
  const versions = specVersions();
  if (baseUrls === undefined) {
    for (const op of specOperations()) {
      for (const server of op.servers) add(server.replace(/\/+$/, ""), [op.path]);
    }
  } else {
    for (const base of baseUrls) {
      add(base, all);
      const path = new URL(base).pathname.replace(/\/+$/, "");
      if ([...versions.keys()].some((version) => path.endsWith(version))) continue;
      for (const [version, paths] of versions) add(`${base}${version}`, paths);
    }
  }
  return [...served].map(([base, paths]) => ({ base, paths: [...paths] }));
}

/** A request to a served path with a segment that is not valid percent-encoding. */
export interface MalformedSegment {
  path: GraphPath;
  /** The first segment that does not decode, as sent. */
  segment: string;
  /** The call id segment, as sent. */
  callId: string;
  /** The application id segment, as sent (`/applications/{appId}/...` only). */
  appId?: string;
}

function decodes(segment: string): boolean {
  try {
    decodeURIComponent(segment);
    return true;
  } catch {
    return false;
  }
}

/**
 * The served path a URL names when one of its id segments is not valid percent-encoding
 * (`%E0%A4%A`), else `undefined`. MSW's path matching throws on such a segment.
 *
 * @example
 * unmatchedSegment(servedBases(undefined), "https://graph.microsoft.com/beta/app/calls/%E0%A4%A/cancelMediaProcessing");
 * // { path: "/app/calls/{callId}/cancelMediaProcessing", segment: "%E0%A4%A", callId: "%E0%A4%A" }
 */
export function unmatchedSegment(bases: readonly ServedBase[], url: string): MalformedSegment | undefined {
  const target = URL.parse(url);
  if (target === null) return undefined;
  for (const { base, paths } of bases) {
    const root = new URL(base);
    const prefix = root.pathname.replace(/\/+$/, "");
    if (root.origin !== target.origin || !target.pathname.startsWith(`${prefix}/`)) continue;
    const segments = target.pathname.slice(prefix.length).split("/");
    for (const path of paths) {
      const template = path.split("/");
      if (template.length !== segments.length) continue;
      const params: Record<string, string> = {};
      const fits = template.every((part, i) => {
        const sent = segments[i] ?? "";
        if (/^\{\w+\}$/.test(part)) {
          params[part.slice(1, -1)] = sent;
          return sent !== "";
        }
        return part.toLowerCase() === sent.toLowerCase();
      });
      const bad = Object.values(params).find((segment) => !decodes(segment));
      if (fits && bad !== undefined) {
        return {
          path,
          segment: bad,
          callId: params.callId ?? "",
          ...(params.appId === undefined ? {} : { appId: params.appId }),
        };
      }
    }
  }
  return undefined;
}
