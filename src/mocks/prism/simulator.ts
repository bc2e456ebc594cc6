import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import { HttpResponse, http } from "msw";
import { checkRecord, checkType } from "../../core/check.ts";
import { InvalidArgumentError } from "../../core/errors.ts";
import { createGraphHandlers, type GraphMock, type SentNotification } from "../graph-handlers.ts";
import { checkSigner, deliver, type NotificationSigner } from "../notification-delivery.ts";
import { type TriggerKind, type TriggerTarget, triggerBatch } from "../trigger-batch.ts";
import { checkCallbackUrl } from "./callback-options.ts";
import { freePort } from "./free-port.ts";
import { checkHost, checkPort, serverUrl } from "./prism-launch.ts";

/** Options of {@link startSimulator}; every one is optional. */
export interface SimulatorOptions {
  /**
   * The address to listen on.
   * @default "127.0.0.1"
   */
  host?: string;
  /**
   * The port to listen on; `0` picks a free one.
   * @default 4010
   */
  port?: number;
  /**
   * Where the simulator POSTs its notifications: the bot's callback URL.
   * @default "http://127.0.0.1:3978/api/calls"
   */
  callbackUrl?: string;
  /**
   * How long each playPrompt or recordResponse runs before it completes; `Infinity`: never by itself.
   * @default 2000
   */
  mediaDurationMs?: number;
  /**
   * Signs every notification (a fresh token each), such as the testing kit's keys.
   * @default undefined (no Authorization header)
   */
  notificationSigner?: NotificationSigner;
  /**
   * Told about each request answered and each notification sent, one line each, for a log.
   * @default undefined
   */
  onEvent?: (line: string) => void;
}

/** A running HTTP simulator of Graph. */
export interface RunningSimulator {
  /** The base URL, such as `http://127.0.0.1:4010` (every path also under `/beta` and `/v1.0`). */
  readonly url: string;
  /** Where its notifications go. */
  readonly callbackUrl: string;
  /** The mock behind it: its calls, requests and notifications, `endCall`, `finishMedia`, `reset`. */
  readonly graph: GraphMock;
  /** Stops listening, drops open connections and forgets the calls' timers. */
  close(): Promise<void>;
}

/** Where a running simulator takes `graph-comms-mock trigger` requests (its own path, outside Graph's). */
export const triggerPath = "/_graph-comms-mock/trigger";

const optionKeys = [
  "host",
  "port",
  "callbackUrl",
  "mediaDurationMs",
  "notificationSigner",
  "onEvent",
] as const;

/** The base URLs a client may use for this server: as listened on, and `localhost` for a loopback IPv4 host. */
function baseUrls(host: string, port: number): string[] {
  const own = serverUrl(host, port);
  return host === "127.0.0.1" ? [own, `http://localhost:${port}`] : [own];
}

function describeSent(sent: SentNotification): string {
  const entry = sent.batch.value[0];
  const data = (entry?.resourceData ?? {}) as { "@odata.type"?: string; status?: string };
  const what =
    `${data["@odata.type"]?.replace("#microsoft.graph.", "") ?? "operation"} ${data.status ?? ""}`.trim();
  const outcome = sent.error
    ? `not delivered: ${sent.error.message}`
    : `bot answered ${sent.status ?? "(in process)"}`;
  return `notification (${sent.reason}): ${entry?.resourceUrl ?? entry?.resource ?? "?"} ${what} -> ${outcome}`;
}

/**
 * Serves the MSW Graph mock over real HTTP (`@mswjs/http-middleware`), so a bot in another process
 * can be tested against it: each call's media queue, cancels, and the notifications Graph would send,
 * POSTed to the bot's callback URL (signed when a `notificationSigner` is given).
 *
 * @example
 * const simulator = await startSimulator({ port: 0, callbackUrl: "http://127.0.0.1:3978/api/calls" });
 * console.log(simulator.url); // point the bot's client here
 * await simulator.close();
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  checkRecord("options", options, optionKeys);
  const host = checkHost(options.host ?? "127.0.0.1");
  const requestedPort = checkPort(options.port ?? 4010);
  const callback = checkCallbackUrl(options.callbackUrl ?? "http://127.0.0.1:3978/api/calls");
  const onEvent = options.onEvent;
  if (onEvent !== undefined) checkType("options.onEvent", onEvent, "function");
  if (callback.warning) onEvent?.(`warning: ${callback.warning}`);
  const signer = checkSigner("options.notificationSigner", options.notificationSigner);
  const { createServer } = await import("@mswjs/http-middleware").catch(() => {
    throw new Error(
      "@mswjs/http-middleware is not installed; the simulator serves the MSW handlers with it: npm install --save-dev --save-exact @mswjs/http-middleware@0.10.3",
    );
  });
  const port = requestedPort === 0 ? await freePort(host) : requestedPort;
  const graph = createGraphHandlers({
    baseUrl: baseUrls(host, port),
    callbackUrl: callback.href,
    mediaDurationMs: options.mediaDurationMs ?? 2000,
    ...(signer === undefined ? {} : { notificationSigner: signer }),
    ...(onEvent === undefined
      ? {}
      : { onNotificationSent: (sent: SentNotification) => onEvent(describeSent(sent)) }),
  });
  // The package is CommonJS: its msw types are the .d.ts twin of the ESM ones the handlers carry.
  const trigger = http.post(`${serverUrl(host, port)}${triggerPath}`, async ({ request }) => {
    try {
      const { kind, ...target } = (await request.json()) as { kind: TriggerKind } & TriggerTarget;
      const batch = triggerBatch(kind, target);
      const delivery = await deliver(
        batch,
        { to: callback.href, ...(signer === undefined ? {} : { signer }) },
        "trigger",
      );
      onEvent?.(
        `triggered ${kind}: ${describeSent({ batch, reason: "completed", ...(delivery.status === undefined ? {} : { status: delivery.status }) }).replace(/^notification \(completed\): /, "")}`,
      );
      return HttpResponse.json({ delivered: true, status: delivery.status, batch });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return HttpResponse.json(
        { delivered: false, error: message },
        { status: error instanceof InvalidArgumentError ? 400 : 502 },
      );
    }
  });
  const app = createServer(...([trigger, ...graph.handlers] as unknown as Parameters<typeof createServer>));
  app.disable("x-powered-by"); // Graph names no framework; Express would.
  const server = createHttpServer((request: IncomingMessage, response: ServerResponse) => {
    if (onEvent) {
      const before = graph.requests.length;
      response.on("finish", () => {
        const last = graph.requests.length > before ? graph.requests[before] : undefined;
        const media = last?.operation ? graph.calls.flatMap((c) => [...c.queue, ...c.done]) : [];
        const state = media.find((m) => m.operation === last?.operation)?.status;
        onEvent(
          `${request.method} ${request.url} -> ${response.statusCode}${last?.operation ? ` operation ${last.operation.operationId}${state ? ` (${state})` : ""}` : ""}`,
        );
      });
    }
    app(request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  let closed: Promise<void> | undefined;
  return {
    url: serverUrl(host, port),
    callbackUrl: callback.href,
    graph,
    close() {
      closed ??= (async () => {
        graph.reset();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await graph.settled();
      })();
      return closed;
    },
  };
}
