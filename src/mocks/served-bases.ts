import { actionNamespace, type SpecPath, specOperations } from "./spec-operations.ts";

/** One base URL the MSW handlers answer on, with the spec paths served under it. */
export interface ServedBase {
  /** The base URL without a trailing slash, such as `http://127.0.0.1:4010/beta`. */
  base: string;
  /** The spec path templates served under it. */
  paths: SpecPath[];
  /** The spec's other paths: Graph has none of them under this version (`/app` under `/v1.0`). */
  absent: SpecPath[];
}

/** The version segments of the spec's servers (`/beta`, `/v1.0`), each with the paths the spec serves there. */
export function specVersions(): Map<string, SpecPath[]> {
  const versions = new Map<string, SpecPath[]>();
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

/** Where the handlers answer: the spec's servers, or every path on each of `baseUrls` (and under each version for one without). */
export function servedBases(baseUrls: readonly string[] | undefined): ServedBase[] {
  const served = new Map<string, Set<SpecPath>>();
  const add = (base: string, paths: readonly SpecPath[]) => {
    const set = served.get(base) ?? new Set<SpecPath>();
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
  return [...served].map(([base, paths]) => ({
    base,
    paths: [...paths],
    absent: all.filter((path) => !paths.has(path)),
  }));
}

/**
 * A request the typed handlers cannot answer: an id segment that is not valid percent-encoding
 * (`malformed`), or a spec path under a version Graph does not serve it in (`absent`).
 */
export interface UnservedRequest {
  problem: "malformed" | "absent";
  path: SpecPath;
  /** The segment at fault, as sent: the one that does not decode, or the path's first (`app`). */
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
 * What is wrong with a request the typed handlers cannot answer, else `undefined`: an id segment
 * that is not valid percent-encoding (MSW's path matching throws on `%E0%A4%A`), or a spec path
 * under a version that lacks it.
 */
export function unservedRequest(bases: readonly ServedBase[], url: string): UnservedRequest | undefined {
  const target = URL.parse(url);
  if (target === null) return undefined;
  for (const { base, paths, absent } of bases) {
    const root = new URL(base);
    const prefix = root.pathname.replace(/\/+$/, "");
    if (root.origin !== target.origin || !target.pathname.startsWith(`${prefix}/`)) continue;
    // MSW's matching ignores a trailing slash (and throws on such a path's bad segments): so does this.
    const segments = target.pathname.slice(prefix.length).replace(/\/+$/, "").split("/");
    for (const path of [...paths, ...absent]) {
      const template = path.split("/");
      if (template.length !== segments.length) continue;
      const params: Record<string, string> = {};
      const fits = template.every((part, i) => {
        const sent = segments[i] ?? "";
        if (/^\{\w+\}$/.test(part)) {
          params[part.slice(1, -1)] = sent;
          return sent !== "";
        }
        const wanted = part.toLowerCase();
        const got = sent.toLowerCase();
        return got === wanted || (i === template.length - 1 && got === `${actionNamespace}${wanted}`);
      });
      if (!fits) continue;
      const bad = Object.values(params).find((segment) => !decodes(segment));
      const isAbsent = absent.includes(path);
      if (bad !== undefined || isAbsent) {
        return {
          problem: bad === undefined ? "absent" : "malformed",
          path,
          segment: bad ?? segments[1] ?? "",
          callId: params.callId ?? "",
          ...(params.appId === undefined ? {} : { appId: params.appId }),
        };
      }
    }
  }
  return undefined;
}
