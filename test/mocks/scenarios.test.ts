import { describe, expect, it } from "vitest";
import { resolveSpecRef } from "../../src/core/spec-document.ts";
import { type CallsPath, InvalidArgumentError } from "../../src/mocks/index.ts";
import { post, useGraphMock } from "../support/graph-server.ts";
import { readResponse, responseProblems } from "./support/spec-response.ts";

const path: CallsPath = "/communications/calls/{callId}/cancelMediaProcessing";
const callA = "57dab8b1-894c-409a-b240-bd8beae78896";
const callB = "11111111-2222-3333-4444-555555555555";
const urlFor = (callId: string) =>
  `https://graph.microsoft.com/v1.0/communications/calls/${callId}/cancelMediaProcessing`;
const url = urlFor(callA);

async function statusesOf(count: number, target = url): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) {
    const wire = await readResponse(await post(target, {}));
    expect(responseProblems(path, wire)).toEqual([]);
    statuses.push(wire.status);
  }
  return statuses;
}

describe("scenarios", () => {
  const graph = useGraphMock();

  it("throttled: answers 429 with Retry-After the given number of times, then succeeds", async () => {
    graph.scenario("throttled", { times: 2, retryAfter: 1 });
    const first = await post(url, {});
    expect(first.status).toBe(429);
    expect(first.headers.get("retry-after")).toBe("1");
    expect((await first.json()).error.code).toBe("TooManyRequests");
    expect(await statusesOf(2)).toEqual([429, 200]);
    expect(graph.operations).toHaveLength(1);
  });

  it("throttled: uses the spec's Retry-After example by default", async () => {
    const header = resolveSpecRef({ $ref: "#/components/headers/RetryAfter" });
    graph.scenario("throttled", { times: 1 });
    const response = await post(url, {});
    expect(response.headers.get("retry-after")).toBe(String(header.example));
  });

  it.each([
    ["serviceUnavailable", 503, "ServiceUnavailable"],
    ["notFound", 404, "NotFound"],
    ["forbidden", 403, "Forbidden"],
    ["serverError", 500, "InternalServerError"],
  ] as const)("%s: answers %i in Graph's shape until reset", async (name, status, code) => {
    const handle = graph.scenario(name);
    expect(await statusesOf(3)).toEqual([status, status, status]);
    expect(handle.used).toBe(3);
    expect(handle.remaining).toBe(Number.POSITIVE_INFINITY);
    const body = await (await post(url, {})).json();
    expect(body.error.code).toBe(code);
    handle.reset();
    expect(await statusesOf(1)).toEqual([200]);
  });

  it("serviceUnavailable: carries Retry-After only when asked", async () => {
    graph.scenario("serviceUnavailable", { times: 1 });
    graph.scenario("serviceUnavailable", { times: 1, retryAfter: "Wed, 21 Oct 2026 07:28:00 GMT" });
    expect((await post(url, {})).headers.get("retry-after")).toBeNull();
    expect((await post(url, {})).headers.get("retry-after")).toBe("Wed, 21 Oct 2026 07:28:00 GMT");
  });

  it("notFound for one call leaves other calls alone, whatever the id's spelling", async () => {
    graph.scenario("notFound", { callId: callA.replaceAll("-", "").toUpperCase() });
    expect(await statusesOf(1, urlFor(callA))).toEqual([404]);
    expect(await statusesOf(1, urlFor(callB))).toEqual([200]);
  });

  it("a path filter leaves other paths alone", async () => {
    graph.scenario("serverError", { path: "/app/calls/{callId}/cancelMediaProcessing" });
    expect(await statusesOf(1)).toEqual([200]);
    const seed = await post(`https://graph.microsoft.com/beta/app/calls/${callA}/cancelMediaProcessing`, {});
    expect(seed.status).toBe(500);
  });

  it("networkError: the request fails, then the next one succeeds", async () => {
    graph.scenario("networkError", { times: 1 });
    await expect(post(url, {})).rejects.toThrow(TypeError);
    expect(await statusesOf(1)).toEqual([200]);
    expect(graph.requests.map((r) => r.status)).toEqual(["networkError", 200]);
    expect(graph.requests[0]?.scenario).toBe("networkError");
  });

  it("scenarios apply in the order they were added", async () => {
    graph.scenario("throttled", { times: 1 });
    graph.scenario("serverError", { times: 1 });
    expect(await statusesOf(3)).toEqual([429, 500, 200]);
  });

  it("resetScenarios takes every scenario out of force", async () => {
    graph.scenario("throttled");
    graph.scenario("notFound");
    graph.resetScenarios();
    expect(await statusesOf(1)).toEqual([200]);
  });

  it.each([
    ["an unknown name", "slow", {}, /^name must be a scenario: one of throttled.*got "slow"/],
    ["times 0", "throttled", { times: 0 }, /options.times must be a whole number of at least 1/],
    ["fractional times", "serverError", { times: 1.5 }, /options.times must be a whole number/],
    [
      "a negative retryAfter",
      "throttled",
      { retryAfter: -1 },
      /options.retryAfter must be a number of seconds/,
    ],
    [
      "a retryAfter with a line break",
      "throttled",
      { retryAfter: "1\r\nx: y" },
      /options.retryAfter must be/,
    ],
    [
      "retryAfter on notFound",
      "notFound",
      { retryAfter: 1 },
      /options.retryAfter is not allowed \(only throttled and serviceUnavailable answer with Retry-After\)/,
    ],
    ["a misspelt option", "throttled", { time: 2 }, /options.time is not allowed \(did you mean "times"\?\)/],
    [
      "a misspelt path key",
      "notFound",
      { pathh: "/x" },
      /options.pathh is not allowed \(did you mean "path"\?\)/,
    ],
    ["an empty callId", "notFound", { callId: " " }, /options.callId must be a non-empty string/],
    [
      "a path the spec lacks",
      "notFound",
      { path: "/calls/{callId}" },
      /options.path must be a path template of the spec/,
    ],
  ])("rejects %s with InvalidArgumentError", (_, name, options, message) => {
    expect(() => graph.scenario(name as "throttled", options as never)).toThrow(InvalidArgumentError);
    expect(() => graph.scenario(name as "throttled", options as never)).toThrow(message);
  });
});
