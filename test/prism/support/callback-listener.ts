import { createServer, type IncomingHttpHeaders, type Server } from "node:http";

/** One callback POST the listener received. */
export interface ReceivedCallback {
  path: string;
  headers: IncomingHttpHeaders;
  text: string;
}

/** A bot's callback endpoint on 127.0.0.1, recording every POST and answering 202. */
export interface CallbackListener {
  received: ReceivedCallback[];
  /** Resolves with the first callback (already received or arriving) that `match` accepts; rejects after `timeoutMs`. */
  waitFor(match: (callback: ReceivedCallback) => boolean, timeoutMs?: number): Promise<ReceivedCallback>;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1:`port` (the port Prism was told to send callbacks to). */
export function listenForCallbacks(port: number): Promise<CallbackListener> {
  const received: ReceivedCallback[] = [];
  const waiters = new Set<() => void>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push({
        path: req.url ?? "",
        headers: req.headers,
        text: Buffer.concat(chunks).toString("utf8"),
      });
      res.statusCode = 202;
      res.end();
      for (const wake of waiters) wake();
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () =>
      resolve({
        received,
        waitFor(match, timeoutMs = 15_000) {
          return new Promise((done, fail) => {
            const check = () => {
              const hit = received.find(match);
              if (!hit) return;
              waiters.delete(check);
              clearTimeout(timer);
              done(hit);
            };
            const timer = setTimeout(() => {
              waiters.delete(check);
              fail(new Error(`no matching callback within ${timeoutMs} ms (got ${received.length})`));
            }, timeoutMs);
            waiters.add(check);
            check();
          });
        },
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      }),
    );
  });
}
