/**
 * What every example bot shares: its options, the receiver (the notification handler feeding an
 * operation tracker) and how it listens on 127.0.0.1, so each example file shows only what its
 * framework needs. A bot receives Graph's `commsNotifications` at `POST /api/calls`.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  createNotificationHandler,
  createOperationTracker,
  type NotificationAuthOptions,
  type NotificationHandler,
  type NotificationLogger,
  type OperationTracker,
} from "graph-comms-kit/notifications";

export interface BotOptions {
  /** The bot's application (client) id: the audience Graph's tokens carry. */
  appId: string;
  /**
   * How tokens are checked. Default `{}`: against Microsoft's published keys, as in production. Tests
   * point `openIdConfigurationUrl` at local keys; `false` (no token checks) is only for a local mock
   * that signs nothing, such as Prism.
   */
  auth?: NotificationAuthOptions | false;
  /** The port on 127.0.0.1. Default 0: any free port. */
  port?: number;
  /** Where the receiver logs. Default `console`. */
  logger?: NotificationLogger;
}

export interface RunningBot {
  /** The callback URL to give Graph: `http://127.0.0.1:PORT/api/calls`. */
  callbackUrl: string;
  /** Learns how each operation the bot started ended. */
  tracker: OperationTracker;
  close(): Promise<void>;
}

/** The largest notification batch the bots accept, in bytes (the receiver's default, said explicitly). */
const maxBodyBytes = 1024 * 1024;

/** The notification handler of a bot (token, size and body checks) and the tracker it hands notifications to. */
export function createReceiver(options: BotOptions): {
  handle: NotificationHandler;
  tracker: OperationTracker;
} {
  const tracker = createOperationTracker();
  const handle = createNotificationHandler({
    appId: options.appId,
    auth: options.auth ?? {},
    maxBodyBytes,
    onNotification: tracker.handle,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  return { handle, tracker };
}

/** Listens with `server` on 127.0.0.1 at `port` (0: any free port) and returns the running bot. */
export async function listenBot(server: Server, tracker: OperationTracker, port = 0): Promise<RunningBot> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject).listen(port, "127.0.0.1", resolve);
  });
  const address = server.address() as AddressInfo;
  return {
    callbackUrl: `http://127.0.0.1:${address.port}/api/calls`,
    tracker,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Starts `start` on `PORT` (default 3978) with `APP_ID` when its file is run by itself. */
export async function runFromCommandLine(name: string, start: (options: BotOptions) => Promise<RunningBot>) {
  const bot = await start({ appId: process.env.APP_ID ?? "", port: Number(process.env.PORT ?? 3978) });
  console.log(`${name} bot listening: ${bot.callbackUrl}`);
}
