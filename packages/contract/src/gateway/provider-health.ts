import { z } from "zod";

const breakerState = z.enum(["closed", "open", "half_open"]);

/**
 * `GET /health/providers`: the circuit breaker of every platform-pool
 * provider and a count of stored-key breakers by provider and state.
 * Provider names, states, counts and times only — no keys, ids or URLs.
 */
export const providerHealthSchema = z.object({
  status: z.enum(["ok", "degraded"]),
  providers: z.array(
    z.object({
      provider: z.string(),
      route_mode: z.string(),
      state: breakerState,
      consecutive_failures: z.number().int(),
      cooldown_remaining_ms: z.number(),
    }),
  ),
  stored_keys: z.array(
    z.object({
      provider: z.string(),
      route_mode: z.string(),
      state: breakerState,
      count: z.number().int(),
      max_cooldown_remaining_ms: z.number(),
    }),
  ),
});

export type ProviderHealth = z.output<typeof providerHealthSchema>;
