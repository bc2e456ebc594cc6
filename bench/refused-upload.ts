/**
 * `npx tsx bench/refused-upload.ts [senders] [MiB]`: how many bytes the Node path reads from
 * uploads it has already refused. Each sender opens a raw socket, POSTs without a token, declares
 * `Content-Length: <MiB>` and writes that many bytes as fast as the server takes them (it does not
 * stop at the 401, as a hostile sender would not). Prints, per connection and in total, the bytes
 * the server's socket read (headers included) and the server's CPU time. Target: at most the
 * drain's limits (16 MiB per connection, 64 MiB across connections closing at once), whatever the
 * upload's size.
 */

import { createServer, type Server } from "node:http";
import { type AddressInfo, connect, type Socket } from "node:net";
import { createNotificationHandler } from "../src/notifications/receive/handler.ts";
import { toNodeListener } from "../src/notifications/receive/node-adapter.ts";

const mebibyte = 1024 * 1024;
const senders = Number(process.argv[2] ?? 1);
const uploadMiB = Number(process.argv[3] ?? 400);

const handle = createNotificationHandler({
  appId: "00000000-0000-0000-0000-000000000001",
  // Never fetched: a request without a token is refused before any key is needed.
  auth: { openIdConfigurationUrl: "http://127.0.0.1:9/.well-known/openid-configuration" },
  onNotification: () => {},
  logger: { warn: () => {}, error: () => {} },
});
const server: Server = createServer(toNodeListener(handle));
const serverSockets: Socket[] = [];
server.on("connection", (socket) => serverSockets.push(socket));
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const { port } = server.address() as AddressInfo;

/** One tokenless upload of `uploadMiB`; resolves with the status line the client saw. */
function upload(): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: "127.0.0.1", allowHalfOpen: true });
    const chunk = Buffer.alloc(64 * 1024, 32);
    let left = uploadMiB * mebibyte;
    let answer = "";
    socket.setEncoding("latin1");
    socket.on("data", (text: string) => {
      answer += text;
    });
    socket.on("error", () => {});
    socket.on("close", () => resolve(answer.split("\r\n")[0] ?? "(no answer)"));
    socket.write(
      `POST /api/calls HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${left}\r\n\r\n`,
    );
    const pump = () => {
      while (!socket.destroyed && left > 0) {
        left -= chunk.byteLength;
        if (!socket.write(chunk)) return void socket.once("drain", pump);
      }
      if (!socket.destroyed) socket.end();
    };
    pump();
  });
}

const cpuBefore = process.cpuUsage();
const answers = await Promise.all(Array.from({ length: senders }, upload));
const cpu = process.cpuUsage(cpuBefore);
const read = serverSockets.map((socket) => socket.bytesRead);
const total = read.reduce((sum, bytes) => sum + bytes, 0);
console.log(`node ${process.version}, ${senders} sender(s), ${uploadMiB} MiB each, no token`);
console.log(`answers: ${[...new Set(answers)].join(" | ")}`);
console.log(`server read per connection (MiB): ${read.map((b) => (b / mebibyte).toFixed(2)).join(", ")}`);
console.log(`server read in total: ${(total / mebibyte).toFixed(2)} MiB`);
console.log(`process CPU (server and senders): ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s`);
server.close();
