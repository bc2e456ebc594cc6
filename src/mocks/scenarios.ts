import { checkRecord, fail } from "../core/check.ts";
import { normalizeId } from "../core/operation-id.ts";
import { type SpecPath, specOperations } from "./spec-operations.ts";

/** The failures the handlers can be told to produce, each answered as the spec documents it. */
export type ScenarioName =
  | "throttled"
  | "serviceUnavailable"
  | "notFound"
  | "forbidden"
  | "serverError"
  | "networkError";

/** Options every scenario takes. */
export interface ScenarioOptions {
  /**
   * How many matching requests get the failure before the handlers answer normally again.
   * @default Infinity (every one, until reset)
   */
  times?: number;
  /**
   * Only requests for this call (any spelling of the id).
   * @default undefined (every call)
   */
  callId?: string;
  /**
   * Only requests to this path template.
   * @default undefined (every path)
   */
  path?: SpecPath;
}

/** Options of the scenarios whose response carries `Retry-After`. */
export interface RetryScenarioOptions extends ScenarioOptions {
  /**
   * The `Retry-After` value: seconds (may be fractional) or an HTTP date.
   * @default the spec's example `"2.128"` for `throttled`; no header for `serviceUnavailable`
   */
  retryAfter?: number | string;
}

/** The options of each scenario. */
export interface ScenarioOptionsByName {
  /** `429 Too Many Requests`, with `Retry-After`. */
  throttled: RetryScenarioOptions;
  /** `503 Service Unavailable`, with `Retry-After` when one is given. */
  serviceUnavailable: RetryScenarioOptions;
  /** `404 Not Found`: the call has ended or never existed. */
  notFound: ScenarioOptions;
  /** `403 Forbidden`: the app lacks the permission. */
  forbidden: ScenarioOptions;
  /** `500 Internal Server Error`. */
  serverError: ScenarioOptions;
  /** No response at all: the request fails as on a lost connection. */
  networkError: ScenarioOptions;
}

/** The HTTP status each scenario answers with (`networkError` answers none: the request fails). */
export const scenarioStatus = {
  throttled: 429,
  serviceUnavailable: 503,
  notFound: 404,
  forbidden: 403,
  serverError: 500,
  networkError: undefined,
} as const satisfies Record<ScenarioName, number | undefined>;

/** A scenario that is in force; returned by `graph.scenario(...)`. */
export interface ScenarioHandle {
  readonly name: ScenarioName;
  /** Requests it will still answer (`Infinity` until reset when no `times` was given). */
  readonly remaining: number;
  readonly used: number;
  /** Takes the scenario out of force at once. */
  reset(): void;
}

export interface ScenarioHit {
  name: ScenarioName;
  retryAfter: string | undefined;
}

interface ActiveScenario {
  name: ScenarioName;
  remaining: number;
  used: number;
  callId: string | undefined;
  path: SpecPath | undefined;
  retryAfter: string | undefined;
}

const known = Object.keys(scenarioStatus) as ScenarioName[];
const paths = specOperations().map((op) => op.path);
const baseKeys = ["times", "callId", "path"] as const;
const retryKeys = [...baseKeys, "retryAfter"] as const;

function checkTimes(times: unknown): number {
  if (times === undefined) return Number.POSITIVE_INFINITY;
  if (times === Number.POSITIVE_INFINITY || (Number.isInteger(times) && (times as number) >= 1)) {
    return times as number;
  }
  fail("options.times", `must be a whole number of at least 1 (or Infinity), got ${String(times)}`);
}

function checkRetryAfter(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "number" && Number.isFinite(value) && value >= 0) return String(value);
  // A header value: visible characters and spaces only (an HTTP date has spaces).
  if (typeof value === "string" && value.trim() !== "" && /^[\x20-\x7e]+$/.test(value)) return value.trim();
  fail(
    "options.retryAfter",
    `must be a number of seconds (0 or more) or a non-empty HTTP date, got ${JSON.stringify(value)}`,
  );
}

/** The scenarios in force for one set of handlers: the first added that matches a request answers it. */
export class ScenarioBook {
  readonly #active: ActiveScenario[] = [];

  constructor(private readonly defaultRetryAfter: (name: ScenarioName) => string | undefined) {}

  /** Puts a scenario in force; throws `InvalidArgumentError` on an unknown name or a bad option. */
  add<N extends ScenarioName>(name: N, options: ScenarioOptionsByName[N] = {}): ScenarioHandle {
    if (!known.includes(name)) {
      fail("name", `must be a scenario: one of ${known.join(", ")}; got ${JSON.stringify(name)}`);
    }
    const retries = name === "throttled" || name === "serviceUnavailable";
    checkRecord("options", options, retries ? retryKeys : baseKeys, (key) =>
      key === "retryAfter" ? ` (only throttled and serviceUnavailable answer with Retry-After)` : "",
    );
    const { callId, path } = options;
    if (callId !== undefined && (typeof callId !== "string" || callId.trim() === "")) {
      fail("options.callId", `must be a non-empty string, got ${JSON.stringify(callId)}`);
    }
    if (path !== undefined && !paths.includes(path)) {
      fail(
        "options.path",
        `must be a path template of the spec: one of ${paths.join(", ")}; got ${JSON.stringify(path)}`,
      );
    }
    const retryAfter = "retryAfter" in options ? checkRetryAfter(options.retryAfter) : undefined;
    const scenario: ActiveScenario = {
      name,
      remaining: checkTimes(options.times),
      used: 0,
      callId: callId === undefined ? undefined : normalizeId(callId),
      path,
      retryAfter: retryAfter ?? this.defaultRetryAfter(name),
    };
    this.#active.push(scenario);
    return {
      name,
      get remaining() {
        return scenario.remaining;
      },
      get used() {
        return scenario.used;
      },
      reset: () => {
        scenario.remaining = 0;
        this.#drop(scenario);
      },
    };
  }

  /** The scenario that answers a request for `callId` on `path`, if any; counts one use. */
  take(request: { path: SpecPath; callId: string }): ScenarioHit | undefined {
    const callId = normalizeId(request.callId);
    const scenario = this.#active.find(
      (s) =>
        (s.callId === undefined || s.callId === callId) && (s.path === undefined || s.path === request.path),
    );
    if (!scenario) return undefined;
    scenario.remaining -= 1;
    scenario.used += 1;
    if (scenario.remaining <= 0) this.#drop(scenario);
    return { name: scenario.name, retryAfter: scenario.retryAfter };
  }

  reset(): void {
    for (const scenario of this.#active) scenario.remaining = 0;
    this.#active.length = 0;
  }

  #drop(scenario: ActiveScenario): void {
    const at = this.#active.indexOf(scenario);
    if (at >= 0) this.#active.splice(at, 1);
  }
}
