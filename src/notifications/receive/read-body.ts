import type { IncomingMessage } from "node:http";
import { BodyTooLargeError } from "../errors.ts";
import { type Deadlines, type Expiring, expiring } from "./deadlines.ts";

/** The body did not arrive within the handler's `bodyTimeoutMs` (a slow or stalled sender); answered 408. */
export class BodyTimeoutError extends Error {
  override readonly name = "BodyTimeoutError";

  constructor(readonly timeoutMs: number) {
    super(`The request body did not arrive within ${timeoutMs} ms`);
  }
}

/** A body parser read the body before the handler saw it (waiting for the stream would hang); answered 500. */
export class BodyAlreadyReadError extends Error {
  override readonly name = "BodyAlreadyReadError";
}

/** The length a `Content-Length` header declares, or `undefined`; one over the limit is refused before reading. */
function declaredLength(header: string | null | undefined, limitBytes: number): number | undefined {
  if (header == null || !/^\s*\d+\s*$/.test(header)) return undefined;
  const length = Number(header);
  if (length > limitBytes) throw new BodyTooLargeError(limitBytes);
  return length;
}

/**
 * Reads a request body's bytes, refusing it as soon as it passes `limitBytes` (declared or counted) or, with
 * `deadlines`, when it has not ended by their time.
 *
 * @throws {BodyTooLargeError} when the body is over the limit.
 * @throws {BodyTimeoutError} when the body took longer than the deadlines allow.
 * @throws {TypeError} when the stream fails.
 */
export async function readLimitedBytes(
  request: Request,
  limitBytes: number,
  deadlines?: Deadlines,
): Promise<Uint8Array> {
  if (declaredLength(request.headers.get("content-length"), limitBytes) !== undefined) {
    // HTTP framing holds the body to its declared length, so it is read whole, which servers do fastest;
    // checked again for a hand-made `Request` whose header says less than its body holds.
    const reading = request.arrayBuffer();
    const buffer = await (deadlines === undefined ? reading : withinDeadline(reading, deadlines));
    if (buffer.byteLength > limitBytes) throw new BodyTooLargeError(limitBytes);
    return new Uint8Array(buffer);
  }
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  let deadline: Expiring | undefined;
  const expired =
    deadlines === undefined
      ? undefined
      : new Promise<never>((_, reject) => {
          deadline = expiring(() => reject(new BodyTimeoutError(deadlines.ms)));
          deadlines.add(deadline);
        });
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await (expired ? Promise.race([reader.read(), expired]) : reader.read());
      if (done) break;
      total += value.byteLength;
      if (total > limitBytes) throw new BodyTooLargeError(limitBytes);
      chunks.push(value);
    }
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    throw error;
  } finally {
    if (deadline) deadlines?.cancel(deadline);
  }
  return chunks.length === 1 ? (chunks[0] as Uint8Array) : concat(chunks, total);
}

/** `work`, or a {@link BodyTimeoutError} if it has not settled by the deadline (it is then left to finish unheard). */
function withinDeadline<T>(work: Promise<T>, deadlines: Deadlines): Promise<T> {
  return new Promise((resolve, reject) => {
    const deadline = expiring(() => reject(new BodyTimeoutError(deadlines.ms)));
    deadlines.add(deadline);
    work.then(
      (value) => {
        deadlines.cancel(deadline);
        resolve(value);
      },
      (error: unknown) => {
        deadlines.cancel(deadline);
        reject(error);
      },
    );
  });
}

/**
 * Reads a `node:http` body straight from the `IncomingMessage` with the checks of {@link readLimitedBytes};
 * a `Buffer` in `req.body` (`express.raw()`) is taken as the body.
 *
 * @throws {BodyTooLargeError} when the body is over the limit.
 * @throws {BodyTimeoutError} when the body took longer than the deadlines allow.
 * @throws {BodyAlreadyReadError} when a body parser read it first.
 */
export function readNodeBody(
  req: IncomingMessage,
  limitBytes: number,
  deadlines?: Deadlines,
): Promise<Uint8Array> {
  const parsed = (req as { body?: unknown }).body;
  if (parsed instanceof Uint8Array) {
    if (parsed.byteLength > limitBytes) return Promise.reject(new BodyTooLargeError(limitBytes));
    return Promise.resolve(parsed);
  }
  if (parsed !== undefined) {
    return Promise.reject(new BodyAlreadyReadError(`req.body is already set (to a ${typeof parsed})`));
  }
  if (req.readableEnded)
    return Promise.reject(new BodyAlreadyReadError("the request stream has already ended"));
  try {
    declaredLength(req.headers["content-length"], limitBytes);
  } catch (error) {
    return Promise.reject(error);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let settled = false;
    const deadline = deadlines && expiring(() => finish(new BodyTimeoutError(deadlines.ms)));
    if (deadline) deadlines?.add(deadline);
    // The listeners stay on `req` once settled (removing them per request costs the Node path time).
    function finish(error?: Error): void {
      if (settled) return;
      settled = true;
      if (deadline) deadlines?.cancel(deadline);
      if (error === undefined) {
        resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total));
        return;
      }
      // Stop reading; the answer carries `connection: close`, so the rest is never drained.
      chunks.length = 0;
      req.pause();
      reject(error);
    }
    req
      .on("data", (chunk: Buffer) => {
        if (settled) return;
        total += chunk.byteLength;
        if (total > limitBytes) finish(new BodyTooLargeError(limitBytes));
        else chunks.push(chunk);
      })
      .on("end", () => finish())
      .on("error", finish)
      .on("close", () => {
        // 'close' follows every request: only an unsettled read has lost its body.
        if (!settled) finish(new Error("the client closed the connection before the body ended"));
      });
  });
}

function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
