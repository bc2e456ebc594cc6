/**
 * Measurement 1: median per-call latency over real HTTP on 127.0.0.1 (a node:http server answering
 * 202 + Location with keep-alive), thousands of sequential calls per contender, in interleaved rounds.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { type Call, graphClient, openapiFetchAlone, ours, rawFetch } from "./client-contenders.ts";
import { median, rotate } from "./stats.ts";

export interface HttpResult {
  name: string;
  medianUs: number;
  sentToken: boolean;
}

export async function measureHttp(callsPerRound: number, rounds: number): Promise<HttpResult[]> {
  /** The Authorization header of the latest request, to tell which contenders send the token. */
  let lastAuthorization: string | undefined;
  const server = createServer((request, response) => {
    lastAuthorization = request.headers.authorization;
    request.resume();
    request.on("end", () => {
      response.writeHead(202, {
        // Graph's own Location, as a proxy in front of Graph would pass it on (the client accepts
        // baseUrl's origin or Graph's).
        Location: `https://graph.microsoft.com/beta/app/calls/57dab8b1-894c-409a-b240-bd8beae78896/operations/0fe0623f-d628-42ed-b4bd-8ac290072cc5`,
        "Content-Length": "0",
      });
      response.end();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/beta`;
  try {
    const contenders: [string, Call][] = [
      ["raw fetch", rawFetch(baseUrl)],
      ["graph-comms-kit", ours(baseUrl)],
      ["openapi-fetch alone", openapiFetchAlone(baseUrl)],
      ["graph-client RAW", graphClient(baseUrl)],
    ];
    const samples = new Map<string, number[]>(contenders.map(([name]) => [name, []]));
    const tokens = new Map<string, boolean>();
    for (const [name, call] of contenders) {
      for (let i = 0; i < 200; i++) await call(); // warm up: JIT and keep-alive connection
      lastAuthorization = undefined;
      await call();
      tokens.set(name, lastAuthorization === "Bearer bench-token");
    }
    for (let round = 0; round < rounds; round++) {
      for (const [name, call] of rotate(contenders, round)) {
        const list = samples.get(name) ?? [];
        for (let i = 0; i < callsPerRound; i++) {
          const start = performance.now();
          await call();
          list.push(performance.now() - start);
        }
      }
    }
    return contenders.map(([name]) => ({
      name,
      medianUs: median(samples.get(name) ?? []) * 1000,
      sentToken: tokens.get(name) ?? false,
    }));
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
