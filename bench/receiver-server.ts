/**
 * The servers `npm run bench:receiver` measures, one per child process (see receiver.ts). The
 * driver compiles this file with esbuild, without tsx's keepNames (which names every closure at
 * run time, a per-request cost no production build has), and runs it with plain node, so the
 * floor (bare node:http), Fastify and our handler (from the build, `dist/`) run as they would in
 * production.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type Kind = "bare" | "fastify" | "hono" | "node" | "express-jsonwebtoken" | "fastify-fast-jwt";
export interface ServerConfig {
  kind: Kind;
  /** The OpenID configuration URL, or undefined for auth off. */
  auth?: string;
  /** The JWKS URL the peers read the signing key from (the one the OpenID configuration names). */
  jwksUri: string;
  /** The bot's app id (the token audience). */
  appId: string;
  /** The issuers a token may carry (the receiver's defaults). */
  issuers: string[];
  /** The built notifications entry, a file URL. */
  entry: string;
  /** The route the bench posts to. */
  path: string;
}

/** Child process: one server, its port sent to the parent; answers "rss" messages. */
async function serve(config: ServerConfig): Promise<void> {
  const server = await createServerFor(config);
  server.listen(0, "127.0.0.1", () => {
    process.send?.({ port: (server.address() as AddressInfo).port });
  });
  process.on("message", (message) => {
    if (message === "rss") {
      // Collected first, so the figure is what is held, not garbage not yet collected.
      (globalThis as { gc?: () => void }).gc?.();
      const { rss, heapUsed } = process.memoryUsage();
      process.send?.({ rss, heap: heapUsed });
    }
    if (message === "cpu") {
      const { user, system } = process.cpuUsage();
      process.send?.({ cpu: user + system });
    }
  });
  process.on("disconnect", () => process.exit(0));
}

async function createServerFor(config: ServerConfig) {
  const path = config.path;
  if (config.kind === "bare") {
    return createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        JSON.parse(Buffer.concat(chunks).toString("utf8"));
        res.writeHead(202).end();
      });
    });
  }
  if (config.kind === "fastify") {
    const { default: Fastify } = await import("fastify");
    let server: ReturnType<typeof createServer> | undefined;
    const app = Fastify({
      logger: false,
      serverFactory: (handler) => {
        server = createServer(handler);
        return server;
      },
    });
    app.post(path, async (_request, reply) => reply.code(202).send());
    await app.ready();
    return server as ReturnType<typeof createServer>;
  }
  if (config.kind === "express-jsonwebtoken") return expressPeer(config);
  if (config.kind === "fastify-fast-jwt") return fastifyPeer(config);
  // Our servers run the build users install (`npm run build`, which `bench:receiver` runs first).
  const { createNotificationHandler, createNotificationServer, createOperationTracker } = (await import(
    config.entry
  )) as typeof import("../src/notifications/index.ts");
  const tracker = createOperationTracker();
  const handle = createNotificationHandler({
    appId: config.appId,
    auth: config.auth === undefined ? false : { openIdConfigurationUrl: config.auth },
    onNotification: tracker.handle,
    logger: { warn: () => {}, error: (...args: unknown[]) => console.error(...args) },
  });
  if (config.kind === "node") return createNotificationServer(handle);
  const { getRequestListener } = await import("@hono/node-server");
  return createServer(getRequestListener(handle));
}

/** The token of a `Bearer` authorization header, as both peers read it. */
function bearer(header: string | undefined): string | undefined {
  return header?.startsWith("Bearer ") ? header.slice(7) : undefined;
}

/**
 * The common Node recipe: Express 5, `jsonwebtoken` verifying with a key `jwks-rsa` fetches and
 * caches by kid; the same claims ours checks (RS256, issuer, audience, `exp`, a tenant), then the
 * JSON body parsed, 202.
 */
async function expressPeer(config: ServerConfig) {
  const { default: express } = await import("express");
  const { default: jwt } = await import("jsonwebtoken");
  const { default: jwksClient } = await import("jwks-rsa");
  const keys = jwksClient({ jwksUri: config.jwksUri, cache: true, rateLimit: true });
  const getKey: import("jsonwebtoken").GetPublicKeyOrSecret = (header, done) => {
    keys.getSigningKey(header.kid).then(
      (key) => done(null, key.getPublicKey()),
      (error: Error) => done(error),
    );
  };
  const options: import("jsonwebtoken").VerifyOptions & { complete?: false } = {
    algorithms: ["RS256"],
    audience: config.appId,
    issuer: config.issuers as [string, ...string[]],
  };
  const app = express();
  app.post(
    config.path,
    (req, res, next) => {
      const token = bearer(req.headers.authorization);
      if (token === undefined) return void res.status(401).end();
      jwt.verify(token, getKey, options, (error, claims) => {
        const payload = claims as import("jsonwebtoken").JwtPayload | undefined;
        if (error || payload?.exp === undefined || typeof payload.tid !== "string") {
          return void res.status(401).end();
        }
        next();
      });
    },
    express.json(),
    (_req, res) => void res.status(202).end(),
  );
  return createServer(app);
}

/**
 * The fastest Node JWT stack: Fastify 5, `fast-jwt` with its verified-token cache on, the key from
 * `get-jwks` (cached by kid; `jwksPath` points it at the local JWKS instead of
 * `{domain}/.well-known/jwks.json`); the same claims, checked in an `onRequest` hook before the body
 * is parsed, 202.
 */
async function fastifyPeer(config: ServerConfig) {
  const { default: Fastify } = await import("fastify");
  const { createVerifier } = await import("fast-jwt");
  const { default: buildGetJwks } = await import("get-jwks");
  const jwks = new URL(config.jwksUri);
  const getJwks = buildGetJwks({ jwksPath: jwks.pathname });
  const verify = createVerifier({
    key: async (decoded: { header: { kid?: string; alg?: string } }) =>
      getJwks.getPublicKey({
        domain: jwks.origin,
        kid: decoded.header.kid ?? "",
        alg: decoded.header.alg ?? "",
      }),
    cache: true,
    algorithms: ["RS256"],
    allowedAud: config.appId,
    allowedIss: config.issuers,
    requiredClaims: ["exp", "tid"],
  });
  let server: ReturnType<typeof createServer> | undefined;
  const app = Fastify({
    logger: false,
    serverFactory: (handler) => {
      server = createServer(handler);
      return server;
    },
  });
  app.addHook("onRequest", async (request, reply) => {
    const token = bearer(request.headers.authorization);
    try {
      if (token === undefined) throw new Error("no token");
      await verify(token);
    } catch {
      return reply.code(401).send();
    }
  });
  app.post(config.path, async (_request, reply) => reply.code(202).send());
  await app.ready();
  return server as ReturnType<typeof createServer>;
}

await serve(JSON.parse(process.argv[2] ?? "{}") as ServerConfig);
