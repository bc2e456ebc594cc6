/**
 * A node:http server on 127.0.0.1 that records every request it receives: the stand-in for Graph
 * (client tests) and for a bot's callback endpoint (Prism tests). `close()` stops it.
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import { listenLocal } from "./listen-local.ts";

/** One request the server received, body read to the end. */
export interface RecordedHttpRequest {
  method: string;
  /** The request target, such as `/api/calls`. */
  path: string;
  headers: IncomingHttpHeaders;
  text: string;
}

export interface RecordingServer {
  /** `http://127.0.0.1:PORT`. */
  origin: string;
  port: number;
  received: RecordedHttpRequest[];
  /** Resolves with the first request (received or arriving) that `match` accepts; rejects after `timeoutMs`. */
  waitFor(match: (request: RecordedHttpRequest) => boolean, timeoutMs?: number): Promise<RecordedHttpRequest>;
  close(): Promise<void>;
}

export interface RecordingServerOptions {
  /** The port to listen on. Default 0: one the OS chooses. */
  port?: number;
  /** Answers each request. Default: `202` with no body. */
  answer?: (request: RecordedHttpRequest, response: ServerResponse) => void;
}

const accept = (_: RecordedHttpRequest, response: ServerResponse) => {
  response.writeHead(202).end();
};

export async function startRecordingServer(options: RecordingServerOptions = {}): Promise<RecordingServer> {
  const { port: wanted = 0, answer = accept } = options;
  const received: RecordedHttpRequest[] = [];
  const waiters = new Set<() => void>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const seen: RecordedHttpRequest = {
        method: request.method ?? "",
        path: request.url ?? "",
        headers: request.headers,
        text: Buffer.concat(chunks).toString("utf8"),
      };
      received.push(seen);
      answer(seen, response);
      for (const wake of waiters) wake();
    });
  });
  const { origin, port, close } = await listenLocal(server, wanted);
  return {
    origin,
    port,
    received,
    waitFor(match, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = received.find(match);
          if (!hit) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(hit);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching request within ${timeoutMs} ms (got ${received.length})`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close,
  };
}
