import { Redis } from "ioredis";
import type { Logger } from "pino";

/**
 * A Redis connection for shared limits and caches. Commands fail at once while
 * it is disconnected (no offline queue), so callers fall back instead of
 * piling requests up behind a dead server; it reconnects in the background
 * with capped backoff. Each loss and each recovery is logged once.
 */
export function connectRedis(url: string, logger: Logger): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 5000),
  });
  let healthy = true;
  redis.on("ready", () => {
    if (!healthy) logger.info("redis is reachable again; shared limits restored");
    healthy = true;
  });
  redis.on("error", (error: Error) => {
    if (healthy) logger.warn({ err: error }, "redis unreachable; rate limits fall back to this process's memory");
    healthy = false;
  });
  return redis;
}

export type { Redis };
