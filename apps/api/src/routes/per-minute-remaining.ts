import type { UserRateState } from "@modelfaucet/billing";
import type { UserRateLimit } from "@modelfaucet/contract";
import { perMinuteChecks, perMinuteStates, perMinuteWindows, type Redis } from "@modelfaucet/server-kit";
import type { FastifyInstance } from "fastify";

type Remaining = Pick<UserRateLimit, "requests_remaining" | "tokens_remaining" | "resets_at">;

const UNKNOWN: Remaining = { requests_remaining: null, tokens_remaining: null, resets_at: null };

/**
 * What is left this minute of one source's per-minute rates for an end
 * user, read from the counters the Gateway keeps in Redis (the same keys,
 * never counted here). Without Redis each Gateway counts in its own memory:
 * unknown (null).
 */
export function perMinuteReader(app: FastifyInstance, redis: Redis | undefined) {
  const windows =
    redis &&
    perMinuteWindows({
      redis,
      onStoreFailure: (error) => app.log.warn({ err: error }, "per-minute counters unreadable"),
    });
  return async (subject: { appId: string; endUserId: string }, rate: UserRateState): Promise<Remaining> => {
    if (!windows) return UNKNOWN;
    const set = { requests_per_minute: rate.requestsPerMinute, tokens_per_minute: rate.tokensPerMinute };
    const rates = rate.source === "app" ? { app: set } : { feature: set };
    const states = await perMinuteStates(windows, perMinuteChecks(subject, rate.featureKey ?? "", rates, 0));
    const left = (unit: "requests" | "tokens") => states.find((state) => state.unit === unit)?.remaining ?? null;
    const resetsInMs = Math.max(0, ...states.map((state) => state.resetsInMs));
    return {
      requests_remaining: left("requests"),
      tokens_remaining: left("tokens"),
      resets_at: resetsInMs > 0 ? new Date(Date.now() + resetsInMs).toISOString() : null,
    };
  };
}
