/**
 * A shared store of strings by key, each kept for its own time to live: the
 * response cache's storage (memory in one process, Redis across instances).
 * A store may forget an entry early (bounds, eviction, a restart) — callers
 * treat any absence as a miss — but never answers one past its TTL. Values
 * larger than `maxEntryBytes` (UTF-8) are not stored.
 */
export interface CacheStore {
  /** The value, or undefined when absent, expired, or the store cannot be read (a miss, never an error). */
  get(key: string): Promise<string | undefined>;
  /** Stores `value` for `ttlSeconds` (an integer ≥ 1); false when it was not stored (too large, store unreachable). */
  set(key: string, value: string, ttlSeconds: number): Promise<boolean>;
}

/** Bounds of a cache store; every one a named setting (RESPONSE_CACHE_* in the config). */
export interface CacheStoreLimits {
  /** Largest value stored, UTF-8 bytes; larger ones are left out. */
  maxEntryBytes: number;
  /** In memory: the most bytes all values (and their keys) may take together; the least recently used go first. */
  maxTotalBytes: number;
  /** In memory: the most entries kept. */
  maxEntries: number;
}
