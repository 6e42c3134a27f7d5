import { LRUCache } from "lru-cache";
import type { CacheStore, CacheStoreLimits } from "./cache-store.js";

/**
 * A cache store in this process's memory: at most `maxEntries` entries and
 * `maxTotalBytes` of keys and values (UTF-8), the least recently used
 * evicted first; an entry past its TTL is never answered (lru-cache checks
 * it on read). Single-process only: each Gateway instance has its own.
 */
export function createMemoryCacheStore(
  limits: CacheStoreLimits,
  /** The clock TTLs are measured on, ms; tests pass their own. */
  clock: { now(): number } = performance,
): CacheStore {
  const entries = new LRUCache<string, string>({
    perf: clock,
    // Read the clock on every check (no cached "now"): one call per lookup, and exact at the TTL's edge.
    ttlResolution: 0,
    max: limits.maxEntries,
    maxSize: limits.maxTotalBytes,
    sizeCalculation: (value, key) => Buffer.byteLength(value) + Buffer.byteLength(key),
    // Expired entries are dropped when read; never served stale.
    allowStale: false,
  });
  return {
    async get(key) {
      return entries.get(key);
    },
    async set(key, value, ttlSeconds) {
      if (Buffer.byteLength(value) > limits.maxEntryBytes) return false;
      entries.set(key, value, { ttl: ttlSeconds * 1000 });
      return entries.has(key);
    },
  };
}
