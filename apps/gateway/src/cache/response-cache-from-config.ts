import { createCacheStore, type Config, type Logger, type Redis } from "@modelfaucet/server-kit";
import type { FastifyInstance } from "fastify";
import { createResponseCache, type ResponseCache } from "./response-cache.js";

/**
 * The Gateway's response cache, stored like its rate limits: in Redis when
 * REDIS_URL is set (one cache for every instance), else in this process's
 * memory within RESPONSE_CACHE_MAX_BYTES and RESPONSE_CACHE_MAX_ENTRIES.
 * Answers over RESPONSE_CACHE_MAX_ENTRY_BYTES are not stored either way.
 */
export function responseCacheFromConfig(
  app: FastifyInstance,
  deps: { config: Config; logger: Logger; redis?: Redis | undefined },
): ResponseCache {
  const { config, logger } = deps;
  const store = createCacheStore({
    redis: deps.redis,
    keyPrefix: "chat",
    logger,
    limits: {
      maxEntryBytes: config.RESPONSE_CACHE_MAX_ENTRY_BYTES,
      maxTotalBytes: config.RESPONSE_CACHE_MAX_BYTES,
      maxEntries: config.RESPONSE_CACHE_MAX_ENTRIES,
    },
  });
  return createResponseCache({ store, metrics: app.metrics, logger });
}
