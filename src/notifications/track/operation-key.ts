/**
 * The store key of an operation; ids already normalised. Length-prefixed, so no two pairs share a
 * key. Built with join, which makes one flat string (a template literal makes a rope that every
 * Map lookup must flatten first).
 */
export function operationKey(callId: string, operationId: string): string {
  return [callId.length, callId, operationId].join(":");
}
