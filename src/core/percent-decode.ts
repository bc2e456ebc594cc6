/** Decodes `%XX` escapes (UTF-8); `undefined` when they are malformed. */
export function percentDecode(text: string): string | undefined {
  if (!text.includes("%")) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
