import type { PerMinuteRates } from "@modelfaucet/server-kit";
import type { Feature } from "../catalog/feature-catalog.js";

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
