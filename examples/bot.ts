/**
 * What every example bot takes and gives back, so one test drives them all. A bot receives Graph's
 * `commsNotifications` at `POST /api/calls` and hands each one to an operation tracker.
 */
import type {
  NotificationAuthOptions,
  NotificationLogger,
  OperationTracker,
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

/** The largest notification batch the bots accept, in bytes (the receiver's default, said once for the frameworks). */
export const maxBodyBytes = 1024 * 1024;
