const canonicalGuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const hex32 = /^[0-9a-fA-F]{32}$/;
const guid = /^\{?([0-9a-f]{8})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{12})\}?$/i;

/**
 * The one canonical spelling of a Graph id, so ids compare with `===`: Graph writes a GUID dashed and
 * lowercase in `Location`, as 32 uppercase hex digits in a 2018 notification; any GUID spelling becomes
 * lowercase dashed, any other id is only trimmed.
 *
 * @example
 * normalizeId("0FE0623FD62842EDB4BD8AC290072CC5"); // "0fe0623f-d628-42ed-b4bd-8ac290072cc5"
 */
export function normalizeId(id: string): string {
  if (id.length === 36 && canonicalGuid.test(id)) return id;
  const trimmed = id.trim();
  if (trimmed.length === 32 && hex32.test(trimmed)) return dashedGuid(trimmed);
  const parts = guid.exec(trimmed);
  if (!parts) return trimmed;
  return parts.slice(1).join("-").toLowerCase();
}

/** Whether an id is a GUID in any spelling. */
export function isGuid(id: string): boolean {
  return canonicalGuid.test(normalizeId(id));
}

/** A GUID given as 32 hex digits (already checked), lowercase and dashed 8-4-4-4-12. */
export function dashedGuid(hex32Digits: string): string {
  const hex = hex32Digits.toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
