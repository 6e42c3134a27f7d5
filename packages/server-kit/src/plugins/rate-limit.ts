import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import type { Redis } from "ioredis";
import { RateLimiterRes } from "rate-limiter-flexible";
import type { ServiceMetrics } from "../metrics.js";
import { countRateLimitRefusals, RateLimitedError } from "../rate-limits/rate-limited.js";
import { windowCounter } from "../rate-limits/window-counter.js";
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

/**
 * A fixed-window limit per client IP and route pattern (unknown paths share
 * the "unmatched" bucket). The client IP honours X-Forwarded-For only when
 * TRUST_PROXY says so. A refusal is a 429 envelope with Retry-After.
 */
export const rateLimitPlugin = fp<RateLimitOptions>(
  async (app: FastifyInstance, options) => {
    // Every service's rate limits refuse alike, this one disabled or not.
    countRateLimitRefusals(app);
    if (options.maxRequests === 0) return;
    const { metrics, redis } = options;
    const limiter = windowCounter({
      points: options.maxRequests,
      durationSeconds: options.windowMs / 1000,
      keyPrefix: options.keyPrefix,
      redis,
    });
    if (redis) {
      const track = () => metrics.redisUp.set({ service: metrics.service }, redis.status === "ready" ? 1 : 0);
      track();
      redis.on("ready", track);
      redis.on("close", track);
    }

    app.addHook("onRequest", async (request) => {
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
        throw new RateLimitedError("Too many requests; retry after the time in Retry-After.", outcome.msBeforeNext);
      }
    });
  },
  { name: "modelfaucet-rate-limit" },
);
