import { BodyTooLargeError } from "./errors.ts";

/**
 * Reads a request body's bytes, refusing it as soon as it passes `limitBytes`: a declared
 * `Content-Length` over the limit is refused before reading, and a body without one is counted
 * chunk by chunk and the stream cancelled when the limit is passed.
 *
 * @throws {BodyTooLargeError} when the body is over the limit.
 * @throws {TypeError} when the stream fails.
 * @example
 * const bytes = await readLimitedBytes(request, 1024 * 1024);
 */
export async function readLimitedBytes(request: Request, limitBytes: number): Promise<Uint8Array> {
  const declared = request.headers.get("content-length");
  if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > limitBytes) {
    throw new BodyTooLargeError(limitBytes);
  }
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limitBytes) {
      await reader.cancel().catch(() => undefined);
      throw new BodyTooLargeError(limitBytes);
    }
    chunks.push(value);
  }
  return chunks.length === 1 ? (chunks[0] as Uint8Array) : concat(chunks, total);
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
