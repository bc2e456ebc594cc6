import { expiredClaim } from "./jwt.ts";

/** Bounds of the verified-token cache. */
export interface TokenCacheOptions {
  /**
   * The most tokens remembered; the least recently used one is dropped for a new one.
   * @default 1000
   */
  maxEntries?: number;
  /**
   * How long a verification is reused, in ms, however long the token itself is valid.
   * @default 300000 (5 minutes)
   */
  maxAgeMs?: number;
}

/** The claims a cache entry re-checks on each use, and the key it was verified with. */
export interface CachedVerification<T, K> {
  result: T;
  exp: number;
  nbf: number | undefined;
  /** The key that verified the signature; the entry is used only while that key is published. */
  key: K;
}

export interface TokenCache<T, K> {
  /** The cached result for exactly this token, if it is still valid now; else `undefined` (and the entry is gone). */
  get(token: string): T | undefined;
  /** Remembers a successful verification of `token` from its second one on (admission on second sight). */
  set(token: string, entry: CachedVerification<T, K>): void;
  readonly size: number;
}

interface Entry<T, K> extends CachedVerification<T, K> {
  storedAt: number;
}

/** FNV-1a of a verified token's last 43 characters (256 bits of signature): a collision only admits it one sight early. */
function sightOf(token: string): number {
  let hash = 0x811c9dc5;
  for (let i = Math.max(0, token.length - sightChars); i < token.length; i++) {
    hash = Math.imul(hash ^ token.charCodeAt(i), 0x01000193);
  }
  return hash >>> 0;
}

const sightChars = 43;

/** The `tokenCache` behind the verifier, after Envoy `jwt_authn`'s: exact tokens, successes only, claims and key re-checked per hit. */
export function createTokenCache<T, K>(
  bounds: Required<TokenCacheOptions>,
  clockToleranceSeconds: number,
  isPublished: (key: K) => boolean,
): TokenCache<T, K> {
  const entries = new Map<string, Entry<T, K>>();
  // The token looked up last: Graph sends one token with many notifications, so most hits need no lookup.
  let lastToken: string | undefined;
  let lastEntry: Entry<T, K> | undefined;
  // Hashes of tokens verified once: admission on second sight keeps never-repeated tokens out of the cache.
  const seenOnce = new Set<number>();
  return {
    get(token) {
      const repeated = token === lastToken;
      const entry = repeated ? lastEntry : entries.get(token);
      if (entry === undefined) return undefined;
      const nowMs = Date.now();
      // The verifier's own check, so a hit is never more lenient than a miss.
      if (
        nowMs - entry.storedAt >= bounds.maxAgeMs ||
        expiredClaim(entry.exp, entry.nbf, clockToleranceSeconds, nowMs) !== undefined ||
        !isPublished(entry.key)
      ) {
        entries.delete(token);
        lastToken = lastEntry = undefined;
        return undefined;
      }
      if (!repeated) {
        // Most recently used last, so eviction takes the first key.
        entries.delete(token);
        entries.set(token, entry);
        lastToken = token;
        lastEntry = entry;
      }
      return entry.result;
    },
    set(token, verification) {
      const sight = sightOf(token);
      if (!seenOnce.delete(sight)) {
        if (seenOnce.size >= bounds.maxEntries) seenOnce.clear();
        seenOnce.add(sight);
        return;
      }
      entries.delete(token);
      if (entries.size >= bounds.maxEntries) {
        const oldest = entries.keys().next();
        // Never the token looked up last: that one is the most recent (or about to be replaced).
        if (!oldest.done) entries.delete(oldest.value);
      }
      const entry = { ...verification, storedAt: Date.now() };
      entries.set(token, entry);
      lastToken = token;
      lastEntry = entry;
    },
    get size() {
      return entries.size;
    },
  };
}
