import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

// Three default gauges end in `_total`, which Prometheus reserves for
// counters; `promtool check metrics` rejects them, so they are left out.
const MISNAMED_DEFAULT_GAUGES = [
  "nodejs_active_handles_total",
  "nodejs_active_requests_total",
  "nodejs_active_resources_total",
];

const DURATION_BUCKETS_MS = [1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000, 60_000];

/**
 * One registry per service instance (the all-in-one process runs two), with
 * the seed page's metric names. Label values are bounded: `route` is a route
 * pattern or "unmatched", `method` one of the HTTP methods Fastify routes.
 */
export function createServiceMetrics(service: string) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, labels: { service } });
  for (const name of MISNAMED_DEFAULT_GAUGES) registry.removeSingleMetric(name);

  return {
    registry,
    service,
    httpRequests: new Counter({
      name: "modelfaucet_http_requests_total",
      help: "HTTP requests answered, by route pattern and status.",
      labelNames: ["service", "method", "route", "status"] as const,
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: "modelfaucet_http_request_duration_ms",
      help: "Time from request received to response sent, in milliseconds.",
      labelNames: ["service", "method", "route", "status"] as const,
      buckets: DURATION_BUCKETS_MS,
      registers: [registry],
    }),
    rateLimited: new Counter({
      name: "modelfaucet_rate_limited_total",
      help: "Requests refused with 429 by the rate limiter.",
      labelNames: ["service", "route"] as const,
      registers: [registry],
    }),
    rateLimitFallback: new Counter({
      name: "modelfaucet_rate_limit_fallback_total",
      help: "Rate-limit decisions taken in process memory because Redis was unreachable.",
      labelNames: ["service"] as const,
      registers: [registry],
    }),
    redisUp: new Gauge({
      name: "modelfaucet_redis_up",
      help: "1 when the shared Redis store is connected, 0 when it is not (limits fall back to memory).",
      labelNames: ["service"] as const,
      registers: [registry],
    }),
    ready: new Gauge({
      name: "modelfaucet_ready",
      help: "Result of the last readiness check: 1 ready, 0 not ready.",
      labelNames: ["service"] as const,
      registers: [registry],
    }),
  };
}

export type ServiceMetrics = ReturnType<typeof createServiceMetrics>;
