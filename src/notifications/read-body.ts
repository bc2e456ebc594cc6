import type { IncomingMessage } from "node:http";
import { BodyTooLargeError } from "./errors.ts";

/** The body did not arrive within the handler's `bodyTimeoutMs` (a slow or stalled sender); answered 408. */
export class BodyTimeoutError extends Error {
  override readonly name = "BodyTimeoutError";

  constructor(readonly timeoutMs: number) {
    super(`The request body did not arrive within ${timeoutMs} ms`);
  }
}

/**
 * The body was read before the handler saw the request: a body parser (`express.json()`, Fastify's
 * JSON parser) ran first. Waiting for the stream would hang for ever (issue 13), so this is raised
 * at once; answered 500.
 */
export class BodyAlreadyReadError extends Error {
  override readonly name = "BodyAlreadyReadError";
}

/** A declared `Content-Length` over the limit: refused before reading a byte. */
function checkDeclaredLength(declared: string | null | undefined, limitBytes: number): void {
  if (declared != null && /^\d+$/.test(declared.trim()) && Number(declared) > limitBytes) {
    throw new BodyTooLargeError(limitBytes);
  }
}

/**
 * Reads a request body's bytes, refusing it as soon as it passes `limitBytes`: a declared
 * `Content-Length` over the limit is refused before reading, and a body without one is counted
 * chunk by chunk and the stream cancelled when the limit is passed. With `timeoutMs`, a body that
 * has not ended by then is cancelled too.
 *
 * @throws {BodyTooLargeError} when the body is over the limit.
 * @throws {BodyTimeoutError} when the body took longer than `timeoutMs`.
 * @throws {TypeError} when the stream fails.
 */
export async function readLimitedBytes(
  request: Request,
  limitBytes: number,
  timeoutMs?: number,
): Promise<Uint8Array> {
  checkDeclaredLength(request.headers.get("content-length"), limitBytes);
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired =
    timeoutMs === undefined
      ? undefined
      : new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new BodyTimeoutError(timeoutMs)), timeoutMs);
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
    clearTimeout(timer);
  }
  return chunks.length === 1 ? (chunks[0] as Uint8Array) : concat(chunks, total);
}

/**
 * Reads a `node:http` request's body straight from the `IncomingMessage` (no web streams), with the
 * same limit, declared-length check and deadline as {@link readLimitedBytes}. A `Buffer` already in
 * `req.body` (Express's `express.raw()`) is taken as the body; a body another parser consumed is a
 * {@link BodyAlreadyReadError} at once.
 *
 * @throws {BodyTooLargeError} when the body is over the limit.
 * @throws {BodyTimeoutError} when the body took longer than `timeoutMs`.
 * @throws {BodyAlreadyReadError} when a body parser read it first.
 */
export function readNodeBody(
  req: IncomingMessage,
  limitBytes: number,
  timeoutMs?: number,
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
    checkDeclaredLength(req.headers["content-length"], limitBytes);
  } catch (error) {
    return Promise.reject(error);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => finish(new BodyTimeoutError(timeoutMs)), timeoutMs);
    const onData = (chunk: Buffer) => {
      total += chunk.byteLength;
      if (total > limitBytes) finish(new BodyTooLargeError(limitBytes));
      else chunks.push(chunk);
    };
    const onEnd = () => finish();
    const onError = (error: Error) => finish(error);
    const onClose = () => finish(new Error("the client closed the connection before the body ended"));
    function finish(error?: Error): void {
      clearTimeout(timer);
      req.off("data", onData).off("end", onEnd).off("error", onError).off("close", onClose);
      if (error === undefined) {
        resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total));
        return;
      }
      // Stop reading; the answer carries `connection: close`, so the rest is never drained.
      req.pause();
      reject(error);
    }
    req.on("data", onData).on("end", onEnd).on("error", onError).on("close", onClose);
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
