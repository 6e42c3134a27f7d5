import type { SessionContext, WindowCharge } from "@modelfaucet/server-kit";
import type { Feature } from "../catalog/feature-catalog.js";

/** Per-end-user rates of a feature's `policy.limits` or an app's `limits` (limits-schema.ts). */
export interface PerMinuteRates {
  requests_per_minute?: number | undefined;
  tokens_per_minute?: number | undefined;
}

/** Whose rates a count is held against: the feature's apply to its own requests, the app's to all of them. */
export type RateScope = "feature" | "app";

/** One per-minute limit a request is checked against, with what the refusal says. */
export interface RateCheck extends WindowCharge {
  scope: RateScope;
  unit: "requests" | "tokens";
}

/** What admitting one request is measured by. */
export interface RequestSize {
  /** The prompt's token bound, as the hold counts it. */
  promptTokens: number;
  /** The output limit the hold is sized for. */
  maxOutputTokens: number;
}

// A stored value is what the API validated on write; anything else (an older
// or hand-edited row) is no limit rather than a failed request.
const positive = (value: unknown): number | undefined =>
  typeof value === "number" && Number.isSafeInteger(value) && value > 0 ? value : undefined;

/** The per-minute rates a feature's stored policy sets, if any. */
export function featureRates(feature: Feature): PerMinuteRates | undefined {
  const limits = (feature.policy as { limits?: { requests_per_minute?: unknown; tokens_per_minute?: unknown } }).limits;
  if (!limits) return undefined;
  return {
    requests_per_minute: positive(limits.requests_per_minute),
    tokens_per_minute: positive(limits.tokens_per_minute),
  };
}

/**
 * The counters one request is checked against: one per rate set, keyed by
 * the end user within the app (the feature's keyed by the feature too), so a
 * user never shares a count with another user.
 */
export function rateChecks(
  session: SessionContext,
  featureKey: string,
  rates: { feature?: PerMinuteRates | undefined; app?: PerMinuteRates | undefined },
  tokens: number,
): RateCheck[] {
  const checks: RateCheck[] = [];
  const add = (scope: RateScope, subject: string, set: PerMinuteRates | undefined) => {
    if (set?.requests_per_minute) {
      checks.push({ scope, unit: "requests", key: `rpm|${subject}`, limit: set.requests_per_minute, cost: 1 });
    }
    if (set?.tokens_per_minute) {
      checks.push({ scope, unit: "tokens", key: `tpm|${subject}`, limit: set.tokens_per_minute, cost: tokens });
    }
  };
  add("feature", `${session.appId}|f|${featureKey}|${session.endUserId}`, rates.feature);
  add("app", `${session.appId}|a|${session.endUserId}`, rates.app);
  return checks;
}
