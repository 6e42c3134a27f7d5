import fc from "fast-check";

import type { ModelPrice } from "../catalog/model-price.js";
import { MAX_MARKUP_BPS } from "../rating/markup-bps.js";
import type { RatingPricing } from "../rating/rating-pricing.js";
import { ROUTE_MODES } from "../rating/route-mode.js";
import type { TokenUsage } from "../rating/token-usage.js";

/** Up to 2^40 tokens: well past any context window, still exercising big products. */
export const tokenCount = fc.oneof(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 2 ** 40 }));

export const tokenUsage: fc.Arbitrary<TokenUsage> = fc
  .tuple(tokenCount, tokenCount, tokenCount)
  .map(([a, b, outputTokens]) => ({
    inputTokens: Math.max(a, b),
    cachedInputTokens: Math.min(a, b),
    outputTokens,
  }));

/** Up to $100,000 per 1M tokens, including odd sub-cent prices. */
const unitsPerMTok = fc.oneof(fc.bigInt({ min: 0n, max: 10_000_000_000n }), fc.bigInt({ min: 0n, max: 10n ** 13n }));

export const modelPrice: fc.Arbitrary<ModelPrice> = fc.record({
  inputUnitsPerMTok: unitsPerMTok,
  cachedInputUnitsPerMTok: unitsPerMTok,
  outputUnitsPerMTok: unitsPerMTok,
});

export const ratingPricing: fc.Arbitrary<RatingPricing> = fc.record({
  markupBps: fc.oneof(fc.constantFrom(0, 1, 3000, 10_000), fc.integer({ min: 0, max: MAX_MARKUP_BPS })),
  channelShareBps: fc.oneof(fc.constantFrom(0, 1, 4000, 9999, 10_000), fc.integer({ min: 0, max: 10_000 })),
  byokGatewayFeeUnits: fc.bigInt({ min: 0n, max: 10n ** 12n }),
  localFeeUnits: fc.bigInt({ min: 0n, max: 10n ** 12n }),
});

export const routeMode = fc.constantFrom(...ROUTE_MODES);

export const tokenRoute = fc.constantFrom("platform" as const, "developer_key" as const);
