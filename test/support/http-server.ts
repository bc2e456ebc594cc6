/** Starts a node:http server for a notification handler on 127.0.0.1, port 0; `close()` stops it. */
import { createServer, type Server } from "node:http";
import type { NotificationHandler } from "../../src/notifications/receive/handler.ts";
import { toNodeListener } from "../../src/notifications/receive/node-adapter.ts";
import { listenLocal } from "./listen-local.ts";

export interface RunningServer {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

export async function serveHandler(handler: NotificationHandler): Promise<RunningServer> {
  const server = createServer(toNodeListener(handler));
  const { origin, port, close } = await listenLocal(server);
  return { url: `${origin}/api/calls`, port, server, close };
}
