/** A cache of successful token verifications, bounded in entries and age. */
import { expiredClaim } from "./jwt.ts";

/** Bounds of the verified-token cache. */
export interface TokenCacheOptions {
  /**
   * The most tokens remembered; the least recently used one is dropped for a new one.
   *
   * @default 1000
   */
  maxEntries?: number;
  /**
   * How long a verification is reused, in ms, however long the token itself is valid.
   *
   * @default 300000 (5 minutes)
   */
  maxAgeMs?: number;
}

/** The claims a cache entry re-checks on each use, and the key it was verified with. */
export interface CachedVerification<T, K> {
  /** What the verification returned (handed out again on each hit). */
  result: T;
  /** The token's `exp`, in seconds since the epoch. */
  exp: number;
  /** The token's `nbf`, in seconds since the epoch, when it has one. */
  nbf: number | undefined;
  /** The key that verified the signature; the entry is used only while that key is published. */
  key: K;
}

/** A verified-token cache. */
export interface TokenCache<T, K> {
  /** The cached result for exactly this token, if it is still valid now; else `undefined` (and the entry is gone). */
  get(token: string): T | undefined;
  /** Remembers a successful verification of `token` from its second one on (admission on second sight). */
  set(token: string, entry: CachedVerification<T, K>): void;
  /** How many tokens are cached. */
  readonly size: number;
}

interface Entry<T, K> extends CachedVerification<T, K> {
  storedAt: number;
}

/**
 * A 32-bit FNV-1a hash of a token's last {@link sightChars} characters, by which the cache
 * recognizes a token it has seen once without holding the token itself. Only verified tokens are
 * hashed, and their last characters are signature (256 bits and more for every supported
 * algorithm), so two tokens rarely share them; hashing the whole token (about a kilobyte) took
 * 2-3 µs per fresh token over HTTP. A collision only admits a verified token one sight early.
 */
function sightOf(token: string): number {
  let hash = 0x811c9dc5;
  for (let i = Math.max(0, token.length - sightChars); i < token.length; i++) {
    hash = Math.imul(hash ^ token.charCodeAt(i), 0x01000193);
  }
  return hash >>> 0;
}

/** How many of a token's last characters {@link sightOf} hashes: 43 base64url characters are 256 bits. */
const sightChars = 43;

/**
 * Creates the cache behind `createNotificationVerifier`'s `tokenCache` option. Modelled on Envoy
 * `jwt_authn`'s JWT cache: keyed by the exact token string (so a token differing by one byte is a
 * miss and goes through full verification), only successes are stored, `exp` and `nbf` are checked
 * against the clock (with the verifier's tolerance) on every hit, and an entry whose key is no
 * longer published (`isPublished`) is dropped. Unlike Envoy's, it admits a
 * token on its second verification, so tokens that never come back cost no entries. A `Map` in use
 * order gives O(1) hits, inserts and evictions.
 */
export function createTokenCache<T, K>(
  bounds: Required<TokenCacheOptions>,
  clockToleranceSeconds: number,
  isPublished: (key: K) => boolean,
): TokenCache<T, K> {
  const entries = new Map<string, Entry<T, K>>();
  // The entry of the token looked up last: Graph sends one token with many notifications, so most
  // hits are of it, and it is already the most recently used (no hashing a 1 KB key, no reordering).
  let lastToken: string | undefined;
  let lastEntry: Entry<T, K> | undefined;
  // Admission on second sight: a token is cached the second time it is verified. Traffic of tokens
  // that never come back (each verified once) then costs no entries: holding 1,000 of them, each
  // evicted unused, cost a share of the server's time on such traffic. This holds the hashes of
  // tokens verified once, as many as the cache holds entries, and starts over when full.
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
