import { ResponseTooLargeError } from "./errors.ts";

/** The most bytes of a response body the client reads (1 MiB): see {@link ResponseTooLargeError}. */
export const maxResponseBytes = 1 << 20;

/** Whether the JSON `text` nests deeper than 32 levels, in one pass (a literal, not a constant: the size budget). */
function tooDeep(text: string): boolean {
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < text.length && depth <= 32; i++) {
    const c = text.charCodeAt(i);
    // A backslash escapes the next character (outside strings the text is not JSON anyway).
    if (c === 92) i++;
    else if (c === 34) quoted = !quoted;
    // `[` and `{` (91, 123) open, `]` and `}` (93, 125) close: the same codes but for bit 32.
    else if (!quoted) depth += (c | 32) === 123 ? 1 : (c | 32) === 125 ? -1 : 0;
  }
  return depth > 32;
}

/** Reads a body as UTF-8 text up to {@link maxResponseBytes} and 32 levels deep, cancelling it on abort and when done. */
export async function readBody(response: Response, signal: AbortSignal | undefined): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return "";
  const cancel = () => {
    reader.cancel().catch(() => {});
  };
  signal?.addEventListener("abort", cancel);
  const decoder = new TextDecoder();
  let text = "";
  let size = 0;
  try {
    // An abort before the listener was added would never cancel the read.
    signal?.throwIfAborted();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      size += chunk.value.byteLength;
      if (size > maxResponseBytes) throw new ResponseTooLargeError(response.status);
      text += decoder.decode(chunk.value, { stream: true });
    }
  } finally {
    signal?.removeEventListener("abort", cancel);
    cancel();
  }
  signal?.throwIfAborted();
  text += decoder.decode();
  if (tooDeep(text)) throw new ResponseTooLargeError(response.status);
  return text;
}

/** Cancels a body the client does not use, unless it is empty (Graph's 202), which has already ended. */
export function discardBody(response: Response): void {
  // Not awaited: cancelling a teed (cloned) body waits for its twin.
  if (response.headers.get("content-length") !== "0") response.body?.cancel().catch(() => {});
}
