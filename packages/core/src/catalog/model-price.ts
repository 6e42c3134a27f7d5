import { parseUsd } from "../money/parse-usd.js";

/**
 * What a model costs upstream, in units of 1e-8 USD per 1,000,000 tokens
 * (all ≥ 0). Cached input is the rate for prompt tokens served from the
 * provider's cache; those tokens are counted inside the input tokens, not on
 * top of them. A catalog entry is effective-dated; this is one period's price.
 */
export interface ModelPrice {
  inputUnitsPerMTok: bigint;
  cachedInputUnitsPerMTok: bigint;
  outputUnitsPerMTok: bigint;
}

/** A catalog price as written by an operator: USD per 1M tokens, e.g. `"2.50"`. */
export interface ModelPriceText {
  inputUsdPerMTok: string;
  cachedInputUsdPerMTok: string;
  outputUsdPerMTok: string;
}

/**
 * `"2.50"` (USD per 1M tokens) → `250000000n` (units per 1M tokens). Keeping
 * the price per million rather than per token keeps it an integer: 8 decimals
 * per 1M tokens resolve 1e-14 USD per token with no rounding at all.
 * Throws an `invalid_request` AppError naming `field` on a malformed or
 * negative price.
 */
export function pricePerMillionToUnits(text: string, field = "price_per_mtok_usd"): bigint {
  return parseUsd(text, { field });
}

/** Parses all three prices of a catalog entry; errors name the offending one. */
export function parseModelPrice(text: ModelPriceText): ModelPrice {
  return {
    inputUnitsPerMTok: pricePerMillionToUnits(text.inputUsdPerMTok, "input_usd_per_mtok"),
    cachedInputUnitsPerMTok: pricePerMillionToUnits(text.cachedInputUsdPerMTok, "cached_input_usd_per_mtok"),
    outputUnitsPerMTok: pricePerMillionToUnits(text.outputUsdPerMTok, "output_usd_per_mtok"),
  };
}
