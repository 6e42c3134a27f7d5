import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { CacheStore, CacheStoreLimits } from "./cache-store.js";

/**
 * A cache store in Redis, shared by every instance: each value under
 * `modelfaucet:cache:<keyPrefix>:<key>` with Redis's own expiry (`SET … EX`),
 * so an entry is gone at its TTL whoever wrote it. Memory is bounded by the
 * Redis server (maxmemory with an eviction policy); here only the size of
 * one entry. Redis down (the connection fails fast, see connectRedis): a
 * read is a miss and a write is skipped — the request is served upstream,
 * never refused, and the first failure of a run is logged.
 */
export function createRedisCacheStore(
  redis: Redis,
  options: Pick<CacheStoreLimits, "maxEntryBytes"> & { keyPrefix: string; logger: Logger },
): CacheStore {
  const prefix = `modelfaucet:cache:${options.keyPrefix}:`;
  let failing = false;
  function unavailable(error: unknown): undefined {
    if (!failing) options.logger.warn({ err: error }, "response cache: redis unavailable; serving without the cache");
    failing = true;
    return undefined;
  }
  function available() {
    failing = false;
  }
  return {
    async get(key) {
      try {
        const value = await redis.get(prefix + key);
        available();
        return value ?? undefined;
      } catch (error) {
        return unavailable(error);
      }
    },
    async set(key, value, ttlSeconds) {
      if (Buffer.byteLength(value) > options.maxEntryBytes) return false;
      try {
        await redis.set(prefix + key, value, "EX", ttlSeconds);
        available();
        return true;
      } catch (error) {
        unavailable(error);
        return false;
      }
    },
  };
}
