/**
 * Row 7 of issue 12: a hostile Graph stand-in sending a huge body. The client reads only the bodies
 * it uses (a 200's operation, an error's details), at most 1 MiB of each, cancels the others, and
 * turns every failure into one of its own errors.
 */
import { createServer, type ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  createCallsClient,
  type FetchLike,
  NetworkError,
  ResponseTooLargeError,
} from "../../src/client/index.ts";
import { maxResponseBytes } from "../../src/client/response-body.ts";
import { beta2018Location, callId, operationId } from "../support/fetch-stub.ts";
import { listenLocal } from "../support/listen-local.ts";

const communications = "/communications/calls/{callId}/cancelMediaProcessing" as const;
const chunkBytes = 64 * 1024;

/** A body of 64 KiB chunks, endless or `totalBytes` long, that counts what was pulled and whether it was cancelled. */
function countingBody(totalBytes = Number.POSITIVE_INFINITY) {
  const seen = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const size = Math.min(chunkBytes, totalBytes - seen.pulled);
        if (size <= 0) return controller.close();
        seen.pulled += size;
        controller.enqueue(new Uint8Array(size).fill(0x61));
      },
      cancel() {
        seen.cancelled = true;
      },
    },
    // Nothing is pulled until someone reads.
    { highWaterMark: 0 },
  );
  return { stream, seen };
}

/** A fetch answering with each response in turn, as built (no clone, so a cancel reaches the stream). */
function answering(...responses: Response[]): FetchLike {
  let next = 0;
  return async () => responses[Math.min(next++, responses.length - 1)] as Response;
}

// The time limit only bounds the old behaviour (reading an endless body) in these tests.
function clientFor(fetch: FetchLike, path?: typeof communications) {
  return path
    ? createCallsClient({ token: "t", fetch, path, timeoutMs: 5000 })
    : createCallsClient({ token: "t", fetch, timeoutMs: 5000 });
}

describe("bodies the client does not use are cancelled, not read", () => {
  it("a 202's body, however long", async () => {
    const { stream, seen } = countingBody();
    const fetch = answering(new Response(stream, { status: 202, headers: { Location: beta2018Location } }));
    await expect(clientFor(fetch).cancelMediaProcessing(callId)).resolves.toMatchObject({ operationId });
    expect(seen).toEqual({ pulled: 0, cancelled: true });
  });

  it("a retried 429's body", async () => {
    const { stream, seen } = countingBody();
    const fetch = answering(
      new Response(stream, { status: 429, headers: { "Retry-After": "0" } }),
      new Response(null, { status: 202, headers: { Location: beta2018Location } }),
    );
    await expect(clientFor(fetch).cancelMediaProcessing(callId)).resolves.toMatchObject({ operationId });
    expect(seen).toEqual({ pulled: 0, cancelled: true });
  });
});

describe(`bodies the client reads are capped at ${maxResponseBytes} bytes (1 MiB)`, () => {
  it("reads a 200 body of exactly 1 MiB", async () => {
    const head = `{"id":"${operationId}","status":"completed","padding":"`;
    const text = `${head}${"a".repeat(maxResponseBytes - head.length - 2)}"}`;
    expect(new TextEncoder().encode(text).byteLength).toBe(maxResponseBytes);
    const fetch = answering(new Response(text, { status: 200, headers: { Location: beta2018Location } }));
    const ref = await clientFor(fetch, communications).cancelMediaProcessing(callId);
    expect(ref).toMatchObject({ operationId, status: "completed" });
  });

  it("refuses a 200 body one byte over, with ResponseTooLargeError", async () => {
    const { stream, seen } = countingBody(maxResponseBytes + 1);
    const fetch = answering(new Response(stream, { status: 200, headers: { Location: beta2018Location } }));
    const error = await clientFor(fetch, communications)
      .cancelMediaProcessing(callId)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(error).toMatchObject({ name: "ResponseTooLargeError", status: 200 });
    expect((error as Error).message).toBe("Graph's 200 response body is over 1 MiB or 32 levels deep");
    expect(seen.cancelled).toBe(true);
  });

  it.each([
    [200, communications],
    [404, undefined],
    [500, undefined],
  ] as const)("stops reading an endless %i body at the limit and cancels it", async (status, path) => {
    const { stream, seen } = countingBody();
    const fetch = answering(new Response(stream, { status, headers: { Location: beta2018Location } }));
    const error = await clientFor(fetch, path)
      .cancelMediaProcessing(callId)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect((error as ResponseTooLargeError).status).toBe(status);
    expect(seen.pulled).toBeLessThanOrEqual(maxResponseBytes + chunkBytes);
    expect(seen.cancelled).toBe(true);
  });
});

describe("bodies the client parses are capped at 32 levels of nesting", () => {
  const nested = (levels: number, inner = "1") => `${"[".repeat(levels)}${inner}${"]".repeat(levels)}`;

  it("refuses a 200 body nested 450,000 deep with ResponseTooLargeError, not a value that breaks later", async () => {
    // JSON.parse reads it; JSON.stringify of the result overflows the stack.
    const text = `{"id":"${operationId}","status":"completed","extra":${nested(450_000)}}`;
    const fetch = answering(new Response(text, { status: 200, headers: { Location: beta2018Location } }));
    const error = await clientFor(fetch, communications)
      .cancelMediaProcessing(callId)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(error).toMatchObject({
      status: 200,
      message: "Graph's 200 response body is over 1 MiB or 32 levels deep",
    });
  });

  it("refuses an error body 33 levels deep, and reads 32 levels (brackets in strings do not count)", async () => {
    const deepError = `{"error":{"code":"BadRequest","message":"m","details":${nested(31)}}}`;
    const refused = await clientFor(answering(new Response(deepError, { status: 400 })))
      .cancelMediaProcessing(callId)
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ name: "ResponseTooLargeError", status: 400 });

    const inString = '[{\\"[{'.repeat(40);
    const deepest = `{"id":"${operationId}","status":"completed","s":"${inString}","extra":${nested(31)}}`;
    const fetch = answering(new Response(deepest, { status: 200, headers: { Location: beta2018Location } }));
    const ref = await clientFor(fetch, communications).cancelMediaProcessing(callId);
    expect(ref).toMatchObject({ operationId, status: "completed" });
    expect(JSON.parse(deepest).s).toBe(JSON.parse(`"${inString}"`));
    expect(() => JSON.stringify(ref)).not.toThrow();
  });
});

describe("an abort while a body is read", () => {
  it("cancels the body and rejects with the signal's reason, even when the stream would never answer", async () => {
    let cancelled = false;
    let pulls = 0;
    const stalled = new ReadableStream<Uint8Array>(
      {
        pull: () => {
          pulls++;
          return new Promise<void>(() => {});
        },
        cancel: () => {
          cancelled = true;
        },
      },
      { highWaterMark: 0 },
    );
    const fetch = answering(new Response(stalled, { status: 500 }));
    const controller = new AbortController();
    const outcome = clientFor(fetch)
      .cancelMediaProcessing(callId, {}, { signal: controller.signal })
      .catch((e: unknown) => e);
    await vi.waitFor(() => expect(pulls).toBe(1));
    const reason = new Error("shutting down");
    controller.abort(reason);
    expect(await outcome).toBe(reason);
    expect(cancelled).toBe(true);
  });
});

describe("every failure is one of the client's errors", () => {
  it("a body that breaks off is a NetworkError with the stream's error as cause", async () => {
    const cause = new TypeError("terminated");
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"error":{"code":"Bad'));
        controller.error(cause);
      },
    });
    const error = await clientFor(answering(new Response(stream, { status: 500 })))
      .cancelMediaProcessing(callId)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).cause).toBe(cause);
  });

  it("a fetch option that resolves to something that is not a Response is a NetworkError", async () => {
    const fetch = (async () => undefined) as unknown as FetchLike;
    const error = await clientFor(fetch)
      .cancelMediaProcessing(callId)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).cause).toBeInstanceOf(TypeError);
  });
});

describe("over real HTTP on 127.0.0.1, a server streaming an endless body", () => {
  let origin = "";
  let close: () => Promise<void> = async () => {};
  const written: number[] = [];

  /** Writes 64 KiB chunks as fast as the client takes them, until the socket closes or 256 MiB went out. */
  function stream(response: ServerResponse, status: number, location: string): void {
    let sent = 0;
    written.push(0);
    const slot = written.length - 1;
    const chunk = Buffer.alloc(chunkBytes, 0x61);
    const pump = () => {
      while (!response.destroyed && sent < 256 * 1024 * 1024) {
        sent += chunkBytes;
        written[slot] = sent;
        if (!response.write(chunk)) return void response.once("drain", pump);
      }
      response.end();
    };
    response.writeHead(status, { Location: location, "Content-Type": "application/json" });
    pump();
  }

  beforeAll(async () => {
    const server = createServer((request, response) => {
      request.resume();
      request.on("end", () => {
        const location = `${origin}/app/calls/${callId}/operations/${operationId}`;
        stream(response, request.url?.includes("/communications/") ? 200 : 202, location);
      });
    });
    ({ origin, close } = await listenLocal(server, 0));
  });
  afterAll(() => close());

  it("a 202 resolves at once and the connection is dropped", async () => {
    const client = createCallsClient({ token: "t", baseUrl: origin, timeoutMs: 5000 });
    await expect(client.cancelMediaProcessing(callId)).resolves.toMatchObject({
      httpStatus: 202,
      operationId,
    });
    expect(written.at(-1)).toBeLessThan(64 * 1024 * 1024);
  });

  it("a 200 fails with ResponseTooLargeError after about 1 MiB", async () => {
    const client = createCallsClient({ token: "t", baseUrl: origin, timeoutMs: 5000, path: communications });
    const error = await client.cancelMediaProcessing(callId).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(written.at(-1)).toBeLessThan(64 * 1024 * 1024);
  });
});
