import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { CacheStore, CacheStoreLimits } from "./cache-store.js";
import { createMemoryCacheStore } from "./memory-cache-store.js";
import { createRedisCacheStore } from "./redis-cache-store.js";

/**
 * The cache store a service uses, chosen like its rate limiter: Redis when
 * REDIS_URL gave one (one cache for every instance), else this process's
 * memory. `keyPrefix` keeps different caches apart in a shared Redis.
 */
export function createCacheStore(options: {
  redis?: Redis | undefined;
  limits: CacheStoreLimits;
  keyPrefix: string;
  logger: Logger;
}): CacheStore {
  const { redis, limits } = options;
  if (!redis) return createMemoryCacheStore(limits);
  return createRedisCacheStore(redis, { ...options, maxEntryBytes: limits.maxEntryBytes });
}
