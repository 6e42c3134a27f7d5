import { parseUsd } from "../money/parse-usd.js";
import { markupPercentToBps } from "../rating/markup-bps.js";
import type { RatingPricing } from "../rating/rating-pricing.js";
import type { FeaturePricing } from "./feature-pricing-schema.js";

/**
 * The manifest's pricing in the integer form rating uses. Expects pricing
 * validated by `featurePricingSchema`; the conversions re-check what they
 * parse and `rateUsage` asserts the ranges, so a hand-built object cannot
 * slip a bad value into a charge. A missing local fee means no local fee.
 */
export function pricingFromManifest(pricing: FeaturePricing): RatingPricing {
  return {
    markupBps: markupPercentToBps(pricing.markup_percent),
    channelShareBps: pricing.channel_share_bps,
    byokGatewayFeeUnits: parseUsd(pricing.byok_gateway_fee_usd, { field: "pricing.byok_gateway_fee_usd" }),
    localFeeUnits:
      pricing.local_fee_usd === undefined ? 0n : parseUsd(pricing.local_fee_usd, { field: "pricing.local_fee_usd" }),
  };
}
