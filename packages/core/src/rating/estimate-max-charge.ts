import type { ModelPrice } from "../catalog/model-price.js";
import { rateUsage } from "./rate-usage.js";
import type { RatingPricing } from "./rating-pricing.js";
import type { RouteMode } from "./route-mode.js";

export interface EstimateMaxChargeInput {
  /** Upper estimate of the prompt's tokens; non-negative integer. */
  promptTokens: number;
  /** The output token limit sent upstream; non-negative integer. */
  maxOutputTokens: number;
  price: ModelPrice;
  pricing: RatingPricing;
  routeMode: RouteMode;
}

/**
 * The most a request can be charged (retail, units of 1e-8 USD), placed as a
 * hold before calling upstream: the rating of `promptTokens` input tokens and
 * `maxOutputTokens` output tokens, none of them cached.
 *
 * Guarantee: ≥ `rateUsage(...).retail` for any usage with at most
 * `promptTokens` input and `maxOutputTokens` output tokens, cached or not.
 * Prompt tokens are priced at the higher of the input and cached-input rates,
 * so the bound holds even for a catalog whose cached rate exceeds the input
 * rate (the hold must never be too small; settling posts less and voids the rest).
 */
export function estimateMaxCharge({
  promptTokens,
  maxOutputTokens,
  price,
  pricing,
  routeMode,
}: EstimateMaxChargeInput): bigint {
  const dearestInput =
    price.cachedInputUnitsPerMTok > price.inputUnitsPerMTok ? price.cachedInputUnitsPerMTok : price.inputUnitsPerMTok;
  const worst = rateUsage({
    usage: { inputTokens: promptTokens, cachedInputTokens: 0, outputTokens: maxOutputTokens },
    price: { ...price, inputUnitsPerMTok: dearestInput },
    pricing,
    routeMode,
  });
  return worst.retail;
}
