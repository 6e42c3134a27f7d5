import type { ServiceMetrics } from "@modelfaucet/server-kit";
import { CIRCUIT_STATES, type CircuitBreakers } from "./circuit-breakers.js";
import type { AttemptOutcome } from "./retry-policy.js";

type RegisteredMetric = Parameters<ServiceMetrics["registry"]["registerMetric"]>[0];

interface Sample {
  labels: Record<string, string>;
  value: number;
}

/**
 * A metric computed when scraped, registered on the service's own registry.
 * The Gateway has no direct dependency on prom-client (only server-kit has),
 * so this implements the small part of prom-client's metric interface the
 * registry reads (`name`, `help`, `type`, `get()`), instead of constructing
 * its classes.
 */
function collectedMetric(name: string, help: string, type: "counter" | "gauge", collect: () => Sample[]) {
  const metric = {
    name,
    help,
    type,
    aggregator: "sum",
    get: async () => ({ name, help, type, aggregator: "sum", values: collect() }),
    reset: () => undefined,
  };
  return metric as unknown as RegisteredMetric;
}

/**
 * Upstream reliability metrics. Labels are bounded: `provider` is a catalog
 * provider or a stored-key provider name (a fixed list), `route_mode` one of
 * three, `outcome` one of ATTEMPT_OUTCOMES, `state` one of three.
 *
 * - `modelfaucet_upstream_attempts_total{service,provider,route_mode,outcome}`: every call
 *   to upstream (and every call a breaker refused, as `circuit_open`);
 * - `modelfaucet_provider_circuit_state{service,provider,route_mode,state}`: how many
 *   breakers of that provider are in that state right now.
 */
export function registerUpstreamMetrics(metrics: ServiceMetrics, breakers: CircuitBreakers) {
  const attempts = new Map<string, Sample>();
  metrics.registry.registerMetric(
    collectedMetric(
      "modelfaucet_upstream_attempts_total",
      "Upstream calls by provider, route mode and outcome (circuit_open: refused by the breaker).",
      "counter",
      () => [...attempts.values()].map((sample) => ({ labels: { ...sample.labels }, value: sample.value })),
    ),
  );
  metrics.registry.registerMetric(
    collectedMetric(
      "modelfaucet_provider_circuit_state",
      "Circuit breakers per provider and route mode in each state (closed, open, half_open).",
      "gauge",
      () => {
        const counts = new Map<string, Sample>();
        for (const breaker of breakers.snapshot()) {
          for (const state of CIRCUIT_STATES) {
            const key = `${breaker.provider}\u0000${breaker.routeMode}\u0000${state}`;
            const sample = counts.get(key) ?? {
              labels: { service: metrics.service, provider: breaker.provider, route_mode: breaker.routeMode, state },
              value: 0,
            };
            if (breaker.state === state) sample.value += 1;
            counts.set(key, sample);
          }
        }
        return [...counts.values()];
      },
    ),
  );
  return {
    attempt(provider: string, routeMode: string, outcome: AttemptOutcome) {
      const key = `${provider}\u0000${routeMode}\u0000${outcome}`;
      const sample = attempts.get(key) ?? {
        labels: { service: metrics.service, provider, route_mode: routeMode, outcome },
        value: 0,
      };
      sample.value += 1;
      attempts.set(key, sample);
    },
  };
}

export type UpstreamMetrics = ReturnType<typeof registerUpstreamMetrics>;
