import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from "rate-limiter-flexible";

export interface WindowCounterOptions {
  /** Units allowed per key within one window. */
  points: number;
  /** Window length, whole seconds (rate-limiter-flexible counts in seconds). */
  durationSeconds: number;
  /** Namespaces the keys, so counters of different limits never mix. */
  keyPrefix: string;
  /** Shared store: every instance then counts into one window per key. */
  redis?: Redis | undefined;
}

/**
 * A fixed-window counter per key, in this process's memory or in Redis.
 * While Redis is unreachable it counts in memory instead of failing every
 * request (the fallback is logged by connectRedis and shown in /metrics).
 */
export function windowCounter(options: WindowCounterOptions): RateLimiterAbstract {
  const common = { points: options.points, duration: options.durationSeconds };
  const memory = new RateLimiterMemory({ ...common, keyPrefix: options.keyPrefix });
  if (!options.redis) return memory;
  return new RateLimiterRedis({
    ...common,
    storeClient: options.redis,
    keyPrefix: `modelfaucet:rl:${options.keyPrefix}`,
    rejectIfRedisNotReady: true,
    insuranceLimiter: memory,
  });
}
