/**
 * Measurement 2: calls per second in process, every contender given the same stub fetch (a fresh
 * 202 + Location response per call), in interleaved rounds.
 */
import { performance } from "node:perf_hooks";
import { defaultBaseUrl } from "../src/client/client-options.ts";
import {
  type AnyFetch,
  type Call,
  graphClient,
  openapiFetchAlone,
  ours,
  rawFetch,
} from "./client-contenders.ts";
import { median, rotate } from "./stats.ts";

const location =
  "https://graph.microsoft.com/beta/app/calls/57dab8b1-894c-409a-b240-bd8beae78896/operations/0fe0623f-d628-42ed-b4bd-8ac290072cc5";

const stub: AnyFetch = async () => new Response(null, { status: 202, headers: { Location: location } });

export interface InProcessResult {
  name: string;
  callsPerSecond: number;
}

export async function measureInProcess(callsPerRound: number, rounds: number): Promise<InProcessResult[]> {
  const baseUrl = defaultBaseUrl;
  const realFetch = globalThis.fetch;
  // graph-client takes no fetch option: it calls the global fetch, so the stub goes there for everyone.
  globalThis.fetch = stub as typeof fetch;
  try {
    const contenders: [string, Call][] = [
      ["raw fetch + Request", rawFetch(baseUrl, stub, true)],
      ["graph-comms-kit", ours(baseUrl, stub)],
      ["openapi-fetch alone", openapiFetchAlone(baseUrl, stub)],
      ["graph-client RAW", graphClient(baseUrl)],
    ];
    for (const [, call] of contenders) for (let i = 0; i < 2000; i++) await call();
    const rates = new Map<string, number[]>(contenders.map(([name]) => [name, []]));
    for (let round = 0; round < rounds; round++) {
      for (const [name, call] of rotate(contenders, round)) {
        const start = performance.now();
        for (let i = 0; i < callsPerRound; i++) await call();
        rates.get(name)?.push(callsPerRound / ((performance.now() - start) / 1000));
      }
    }
    return contenders.map(([name]) => ({ name, callsPerSecond: median(rates.get(name) ?? []) }));
  } finally {
    globalThis.fetch = realFetch;
  }
}
