import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { ServiceMetrics } from "../metrics.js";
import { sendError } from "./error-envelope.js";
import { routeLabel } from "./metrics.js";

export interface RateLimitOptions {
  /** Requests allowed per client IP and route within one window; 0 disables the limiter. */
  maxRequests: number;
  /** Window length; a whole number of seconds. */
  windowMs: number;
  /** Shared store: several instances then enforce one limit together. */
  redis?: Redis | undefined;
  /** Namespaces the Redis keys, so API and Gateway limits never mix. */
  keyPrefix: string;
  metrics: ServiceMetrics;
}

function buildLimiter(options: RateLimitOptions): RateLimiterAbstract {
  const common = { points: options.maxRequests, duration: options.windowMs / 1000 };
  const memory = new RateLimiterMemory({ ...common, keyPrefix: options.keyPrefix });
  if (!options.redis) return memory;
  return new RateLimiterRedis({
    ...common,
    storeClient: options.redis,
    keyPrefix: `modelfaucet:rl:${options.keyPrefix}`,
    // While Redis is down, decide in memory instead of failing every request.
    rejectIfRedisNotReady: true,
    insuranceLimiter: memory,
  });
}

/**
 * A fixed-window limit per client IP and route pattern (unknown paths share
 * the "unmatched" bucket). The client IP honours X-Forwarded-For only when
 * TRUST_PROXY says so. A refusal is a 429 envelope with Retry-After.
 */
export const rateLimitPlugin = fp<RateLimitOptions>(
  async (app: FastifyInstance, options) => {
    if (options.maxRequests === 0) return;
    const { metrics, redis } = options;
    const limiter = buildLimiter(options);
    if (redis) {
      const track = () => metrics.redisUp.set({ service: metrics.service }, redis.status === "ready" ? 1 : 0);
      track();
      redis.on("ready", track);
      redis.on("close", track);
    }

    app.addHook("onRequest", async (request, reply) => {
      const route = routeLabel(request);
      if (redis && redis.status !== "ready") metrics.rateLimitFallback.inc({ service: metrics.service });
      try {
        await limiter.consume(`${request.ip}|${route}`);
      } catch (outcome) {
        if (!(outcome instanceof RateLimiterRes)) {
          // Both stores failed: serving unlimited beats refusing everyone.
          request.log.error({ err: outcome }, "rate limiter failed; request let through");
          return;
        }
        metrics.rateLimited.inc({ service: metrics.service, route });
        const retryAfterMs = Math.max(outcome.msBeforeNext, 0);
        reply.header("retry-after", String(Math.max(Math.ceil(retryAfterMs / 1000), 1)));
        reply.header("retry-after-ms", String(retryAfterMs));
        return sendError(
          request,
          reply,
          429,
          "rate_limited",
          "Too many requests; retry after the time in Retry-After.",
        );
      }
    });
  },
  { name: "modelfaucet-rate-limit" },
);
