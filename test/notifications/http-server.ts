/** Starts a node:http server for a notification handler on 127.0.0.1, port 0; `close()` stops it. */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { NotificationHandler } from "../../src/notifications/handler.ts";
import { toNodeListener } from "../../src/notifications/node-adapter.ts";

export interface RunningServer {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

export async function serveHandler(handler: NotificationHandler): Promise<RunningServer> {
  const server = createServer(toNodeListener(handler));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/calls`,
    port,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
