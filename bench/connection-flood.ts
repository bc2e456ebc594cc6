/**
 * `npx tsx bench/connection-flood.ts [idle] [cap|nocap]`: `createNotificationServer` in a child
 * process whose open-file limit is 256 (`prlimit`), flooded with `idle` connections (default 300)
 * that never finish their headers, while 60 notifications are sent and the server process opens a
 * file every 100 ms (as a Redis reconnection or a key fetch would need one). Prints the
 * notifications' outcomes and how many of the server's file opens failed. `cap` is the default
 * connection cap, `nocap` is `maxConnections: Infinity`.
 */
import { spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { createNotificationHandler } from "../src/notifications/receive/handler.ts";
import { createNotificationServer } from "../src/notifications/receive/node-adapter.ts";
import { operationBatch } from "../test/support/notification-fixtures.ts";

const [role, ...args] = process.argv.slice(2);
if (role === "--server") await serve(args[0] === "nocap");
else await flood(Number(role ?? 300), args[0] === "nocap" ? "nocap" : "cap");

/** The child: the server, a file opened every 100 ms, a summary on stdout after 12 s. */
async function serve(noCap: boolean): Promise<void> {
  const handle = createNotificationHandler({
    appId: "flood",
    auth: false,
    onNotification: () => {},
    logger: { warn() {}, error() {} },
  });
  const server = createNotificationServer(handle, noCap ? { maxConnections: Number.POSITIVE_INFINITY } : {});
  let opens = 0;
  let failed = 0;
  setInterval(() => {
    opens++;
    try {
      closeSync(openSync("/dev/null", "r"));
    } catch {
      failed++;
    }
  }, 100);
  server.listen(0, "127.0.0.1", () => {
    const { port } = server.address() as { port: number };
    console.log(JSON.stringify({ port, maxConnections: server.maxConnections ?? "none" }));
  });
  setTimeout(() => {
    console.log(JSON.stringify({ fileOpensFailed: `${failed} of ${opens}` }));
    process.exit(0);
  }, 12_000);
}

/** The parent: starts the child under prlimit, floods it, sends the notifications, reports. */
async function flood(idleCount: number, mode: "cap" | "nocap"): Promise<void> {
  const child = spawn(
    "prlimit",
    ["--nofile=256:256", process.execPath, "--import", "tsx", import.meta.filename, "--server", mode],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const said: Array<Record<string, unknown>> = [];
  const started = new Promise<Record<string, unknown>>((resolve) => {
    let text = "";
    child.stdout.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      for (let end = text.indexOf("\n"); end >= 0; end = text.indexOf("\n")) {
        const message = JSON.parse(text.slice(0, end)) as Record<string, unknown>;
        text = text.slice(end + 1);
        said.push(message);
        if (message.port !== undefined) resolve(message);
      }
    });
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const { port, maxConnections } = await started;
  const idle: Socket[] = [];
  for (let i = 0; i < idleCount; i++) {
    const socket = connect(Number(port), "127.0.0.1");
    socket.on("error", () => {});
    socket.write("POST /api/calls HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    idle.push(socket);
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
  const outcomes = await Promise.all(
    Array.from({ length: 60 }, () =>
      fetch(`http://127.0.0.1:${port}/api/calls`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(operationBatch("completed")),
        signal: AbortSignal.timeout(3_000),
      }).then(
        (response) => String(response.status),
        (error: Error) => error.name,
      ),
    ),
  );
  const counts: Record<string, number> = {};
  for (const outcome of outcomes) counts[outcome] = (counts[outcome] ?? 0) + 1;
  await exited;
  for (const socket of idle) socket.destroy();
  console.log(`node ${process.version}, open-file limit 256, maxConnections ${maxConnections}`);
  console.log(`60 notifications during ${idleCount} idle connections: ${JSON.stringify(counts)}`);
  console.log(`server file opens failed: ${said.find((m) => m.fileOpensFailed)?.fileOpensFailed}`);
}
