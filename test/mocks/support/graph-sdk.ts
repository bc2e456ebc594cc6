/**
 * Microsoft's Graph JS SDK set up for a host that is not Graph (the mocks), as the README shows it:
 * its middleware chain built by hand, because the SDK's own AuthenticationHandler sends the
 * Authorization header only to Graph's hosts over https.
 */
import {
  Client,
  type Context,
  HTTPMessageHandler,
  type Middleware,
  RetryHandler,
  RetryHandlerOptions,
} from "@microsoft/microsoft-graph-client";

/** Puts `Authorization: Bearer <token>` on every request, whatever its host. */
export class BearerTokenHandler implements Middleware {
  #next: Middleware | undefined;

  constructor(private readonly token: () => Promise<string>) {}

  async execute(context: Context): Promise<void> {
    const headers = new Headers(context.options?.headers as HeadersInit | undefined);
    headers.set("Authorization", `Bearer ${await this.token()}`);
    context.options = { ...context.options, headers: Object.fromEntries(headers) };
    if (!this.#next) throw new Error("BearerTokenHandler must not be the last middleware");
    return this.#next.execute(context);
  }

  setNext(next: Middleware): void {
    this.#next = next;
  }
}

/** A Graph SDK client for `baseUrl` (such as `http://127.0.0.1:4010`): bearer token, the SDK's RetryHandler, (a test's middleware), fetch. */
export function graphSdkClient(
  baseUrl: string,
  options: { version: "beta" | "v1.0"; retryDelaySeconds?: number; insert?: Middleware },
) {
  return Client.initWithMiddleware({
    baseUrl,
    defaultVersion: options.version,
    middleware: [
      new BearerTokenHandler(async () => "app-token"),
      // Used only when a 429/503/504 carries no Retry-After; the mocks send one.
      new RetryHandler(new RetryHandlerOptions(options.retryDelaySeconds ?? 1, 3)),
      // A test's own middleware, between the RetryHandler and fetch (it sees every attempt).
      ...(options.insert ? [options.insert] : []),
      new HTTPMessageHandler(),
    ],
  });
}
