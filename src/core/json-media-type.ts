/** `application/json` or any `application/*+json` type. */
const jsonEssence = /^application\/(?:[\w.+-]+\+)?json$/;

/**
 * Whether a `Content-Type` names JSON, by its essence (type/subtype, any case; parameters are not
 * looked at): `application/json` or a `+json` suffix type.
 */
export function isJsonMediaType(contentType: string | null): boolean {
  if (contentType === null) return false;
  return jsonEssence.test((contentType.split(";")[0] ?? "").trim().toLowerCase());
}
