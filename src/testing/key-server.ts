import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { checkNumber, checkRecord, fail } from "../core/check.ts";
import { openIdConfiguration, type TestSigningKeys } from "./test-signing-keys.ts";

/** Options of {@link serveTestSigningKeys}. */
export interface KeyServerOptions {
  /**
   * The port on 127.0.0.1; `0` lets the system pick a free one.
   * @default 0
   */
  port?: number;
}

/** The OpenID configuration and JWKS of test keys, served on 127.0.0.1. */
export interface RunningKeyServer {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** Give it to the receiver: `auth: { openIdConfigurationUrl }` (loopback http is accepted). */
  readonly openIdConfigurationUrl: string;
  /** The JWKS the configuration names. */
  readonly jwksUri: string;
  /** Stops the server and drops open connections; calling it again does nothing. */
  close(): Promise<void>;
}

/**
 * Serves the OpenID configuration (`/v1/.well-known/OpenIdConfiguration`) and JWKS (`/v1/keys`) of
 * {@link TestSigningKeys} on 127.0.0.1, for a receiver outside MSW's reach such as another process.
 *
 * @example
 * const keys = await createTestSigningKeys({ appId });
 * const keyServer = await serveTestSigningKeys(keys);
 * createNotificationHandler({ appId, auth: { openIdConfigurationUrl: keyServer.openIdConfigurationUrl }, onNotification });
 * await keyServer.close();
 */
export async function serveTestSigningKeys(
  keys: TestSigningKeys,
  options: KeyServerOptions = {},
): Promise<RunningKeyServer> {
  checkRecord("options", options, ["port"]);
  const port = checkNumber("options.port", options.port ?? 0, 0, true);
  if (port > 65535) fail("options.port", `must be a port number from 0 to 65535, got ${port}`);
  const configPath = "/v1/.well-known/OpenIdConfiguration";
  const server = createServer((request, response) => {
    const path = (request.url ?? "").split("?")[0];
    const known = path === configPath || path === "/v1/keys";
    if (known && request.method !== "GET" && request.method !== "HEAD") {
      response.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    const body =
      path === configPath
        ? openIdConfiguration(keys.issuer, `${url}/v1/keys`)
        : path === "/v1/keys"
          ? keys.jwks()
          : undefined;
    if (body === undefined) {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
      return;
    }
    response.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
    response.end(request.method === "HEAD" ? undefined : JSON.stringify(body));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let closed: Promise<void> | undefined;
  return {
    url,
    openIdConfigurationUrl: `${url}${configPath}`,
    jwksUri: `${url}/v1/keys`,
    close() {
      closed ??= new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      });
      return closed;
    },
  };
}
