/**
 * Graph spells the same call and operation ids differently in different places: lowercase dashed
 * GUIDs in `Location` (`0fe0623f-d628-42ed-b4bd-8ac290072cc5`), uppercase 32-hex digits without
 * dashes in the 2018 notification example (`0FE0623FD62842EDB4BD8AC290072CC5`).
 */

const canonicalGuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const hex32 = /^[0-9a-fA-F]{32}$/;
const guid = /^\{?([0-9a-f]{8})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{12})\}?$/i;

/**
 * Returns the one canonical spelling of a Graph id, so ids can be compared with `===`: a GUID in
 * any spelling (dashed or not, any case, in braces or not) becomes a lowercase dashed GUID; any
 * other id is returned trimmed and otherwise unchanged.
 *
 * @example
 * normalizeId("0FE0623FD62842EDB4BD8AC290072CC5"); // "0fe0623f-d628-42ed-b4bd-8ac290072cc5"
 * normalizeId("0fe0623f-d628-42ed-b4bd-8ac290072cc5") === normalizeId("0FE0623FD62842EDB4BD8AC290072CC5"); // true
 */
export function normalizeId(id: string): string {
  // Fast paths for the two spellings Graph uses; the general pattern below handles the rest.
  if (id.length === 36 && canonicalGuid.test(id)) return id;
  const trimmed = id.trim();
  if (trimmed.length === 32 && hex32.test(trimmed)) return dashedGuid(trimmed);
  const parts = guid.exec(trimmed);
  if (!parts) return trimmed;
  return parts.slice(1).join("-").toLowerCase();
}

/** Whether an id is a GUID, in any spelling {@link normalizeId} accepts. */
export function isGuid(id: string): boolean {
  return canonicalGuid.test(normalizeId(id));
}

/**
 * The canonical spelling of a GUID written as 32 hex digits (any case, already checked):
 * lowercase, dashed 8-4-4-4-12. {@link normalizeId} for ids that may be anything.
 */
export function dashedGuid(hex32Digits: string): string {
  const hex = hex32Digits.toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
