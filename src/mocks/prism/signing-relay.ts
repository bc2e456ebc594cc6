import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import type { NotificationSigner } from "../notification-delivery.ts";

/** A 127.0.0.1 server that forwards each notification to the bot with a fresh bearer token. */
export interface SigningRelay {
  /** Where Prism sends its callbacks instead of the bot, such as `http://127.0.0.1:41234/notify`. */
  readonly url: string;
  /** Stops the relay and drops open connections; calling it again does nothing. */
  close(): Promise<void>;
}

const maxBody = 1024 * 1024;

async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBody) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * Starts a relay between Prism and the bot: Prism cannot sign its callbacks, so it posts them
 * here and the relay posts the same body to `target` with `Authorization: Bearer <token>` from
 * `signer` (a new token each time, as Graph sends), answering Prism with the bot's status.
 */
export async function startSigningRelay(
  target: string,
  signer: NotificationSigner,
  onError: (message: string) => void,
): Promise<SigningRelay> {
  const server = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      if (request.method !== "POST" || body === undefined) {
        response.writeHead(request.method === "POST" ? 413 : 405).end();
        return;
      }
      try {
        const forwarded = await fetch(target, {
          method: "POST",
          headers: {
            "content-type": request.headers["content-type"] ?? "application/json",
            authorization: `Bearer ${await signer.mint()}`,
          },
          body: new Uint8Array(body),
          signal: AbortSignal.timeout(10_000),
        });
        const text = await forwarded.text();
        if (!forwarded.ok)
          onError(`the bot at ${target} answered a signed notification with ${forwarded.status}`);
        response.writeHead(forwarded.status, {
          "content-type": forwarded.headers.get("content-type") ?? "text/plain",
        });
        response.end(text);
      } catch (error) {
        onError(
          `could not deliver a signed notification to ${target}: ${error instanceof Error ? error.message : String(error)}`,
        );
        response.writeHead(502).end();
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/notify`;
  let closed: Promise<void> | undefined;
  return {
    url,
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      return closed;
    },
  };
}
