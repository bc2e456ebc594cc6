/** Puts a node:http server on 127.0.0.1 for a test, and takes it down again. */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface LocalServer {
  /** `http://127.0.0.1:PORT`. */
  origin: string;
  port: number;
  /** Drops open connections and stops listening; calling it again is a no-op. */
  close(): Promise<void>;
}

/**
 * Listens on 127.0.0.1 at `port` (default 0: one the OS chooses); rejects if the port is taken.
 *
 * @example
 * const { origin, close } = await listenLocal(createServer(listener));
 */
export async function listenLocal(server: Server, port = 0): Promise<LocalServer> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const actual = (server.address() as AddressInfo).port;
  let closed: Promise<void> | undefined;
  return {
    origin: `http://127.0.0.1:${actual}`,
    port: actual,
    close: () => {
      closed ??= new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      });
      return closed;
    },
  };
}
