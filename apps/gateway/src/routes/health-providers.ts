import { providerHealthSchema } from "@modelfaucet/contract";
import { withContract, type RouteContract } from "@modelfaucet/server-kit";
import type { FastifyInstance } from "fastify";
import type { CircuitBreakers } from "../reliability/circuit-breakers.js";

export interface HealthProvidersOptions {
  breakers: CircuitBreakers;
}

const providerHealthContract = {
  summary: "Circuit breakers of the platform's providers and a count of stored-key breakers (sanitized)",
  auth: "none",
  response: providerHealthSchema,
} satisfies RouteContract;

/**
 * `GET /health/providers`: the circuit breaker of every platform-pool
 * provider, and a count of stored-key (BYOK / developer) breakers by provider
 * and state. Sanitized by construction: provider names, states, counts and
 * times only — no keys, no key ids, no base URLs.
 */
export async function healthProvidersRoute(app: FastifyInstance, { breakers }: HealthProvidersOptions) {
  app.get("/health/providers", withContract(providerHealthContract), async () => {
    const snapshot = breakers.snapshot();
    const providers = snapshot
      .filter((breaker) => breaker.routeMode === "platform")
      .map((breaker) => ({
        provider: breaker.provider,
        route_mode: breaker.routeMode,
        state: breaker.state,
        consecutive_failures: breaker.consecutiveFailures,
        cooldown_remaining_ms: breaker.cooldownRemainingMs,
      }))
      .sort((a, b) => a.provider.localeCompare(b.provider));
    const storedKeys = new Map<
      string,
      { provider: string; route_mode: string; state: string; count: number; max_cooldown_remaining_ms: number }
    >();
    for (const breaker of snapshot) {
      if (breaker.routeMode === "platform") continue;
      const key = `${breaker.provider}\u0000${breaker.routeMode}\u0000${breaker.state}`;
      const entry = storedKeys.get(key) ?? {
        provider: breaker.provider,
        route_mode: breaker.routeMode,
        state: breaker.state,
        count: 0,
        max_cooldown_remaining_ms: 0,
      };
      entry.count += 1;
      entry.max_cooldown_remaining_ms = Math.max(entry.max_cooldown_remaining_ms, breaker.cooldownRemainingMs);
      storedKeys.set(key, entry);
    }
    const status = snapshot.some((breaker) => breaker.state !== "closed") ? "degraded" : "ok";
    return { status, providers, stored_keys: [...storedKeys.values()] };
  });
}
