const jsonEssence = /^application\/(?:[\w.+-]+\+)?json$/;

/** Whether a `Content-Type`'s essence (parameters aside, any case) is `application/json` or `application/*+json`. */
export function isJsonMediaType(contentType: string | null): boolean {
  if (contentType === null) return false;
  return jsonEssence.test((contentType.split(";")[0] ?? "").trim().toLowerCase());
}
