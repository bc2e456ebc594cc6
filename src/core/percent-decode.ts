/**
 * Decodes `%XX` escapes (UTF-8), or returns `undefined` when they are malformed. Text without a
 * `%` is returned as it is, without calling the decoder.
 */
export function percentDecode(text: string): string | undefined {
  if (!text.includes("%")) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
