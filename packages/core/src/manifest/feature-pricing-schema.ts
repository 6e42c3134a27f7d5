import { z } from "zod";

import { usdStringSchema } from "../money/usd-schema.js";
import { MAX_MARKUP_PERCENT, tryMarkupPercentToBps } from "../rating/markup-bps.js";
import { BPS_DENOMINATOR } from "../rating/rating-pricing.js";
import { fieldMessage, objectMessage } from "./field-message.js";

/**
 * What a feature charges. `markup_percent` and `channel_share_bps` have no
 * default: they are the developer's business decision and a guessed value
 * would move money. The fees default to zero (BYOK shows its fee, and
 * absence of one must mean none). Money strings come out normalised to
 * 8 decimals. Unknown fields are refused so a misspelt fee is not ignored.
 */
export const featurePricingSchema = z.strictObject(
  {
    mode: z.literal("usage_markup", { error: 'pricing.mode must be "usage_markup"' }).default("usage_markup"),
    markup_percent: z
      .number({ error: fieldMessage("pricing.markup_percent", "a number") })
      .refine((value) => tryMarkupPercentToBps(value) !== undefined, {
        error: `pricing.markup_percent must be from 0 to ${MAX_MARKUP_PERCENT} with at most 2 decimals`,
      }),
    channel_share_bps: z
      .number({ error: fieldMessage("pricing.channel_share_bps", "an integer") })
      .int({ error: "pricing.channel_share_bps must be an integer" })
      .min(0, { error: `pricing.channel_share_bps must be from 0 to ${BPS_DENOMINATOR}` })
      .max(BPS_DENOMINATOR, { error: `pricing.channel_share_bps must be from 0 to ${BPS_DENOMINATOR}` }),
    byok_gateway_fee_usd: usdStringSchema({ field: "pricing.byok_gateway_fee_usd" }).default("0.00000000"),
    local_fee_usd: usdStringSchema({ field: "pricing.local_fee_usd" }).optional(),
    // What a response-cache hit (policy.cache) charges the end user, all of it margin. Absent means zero, like the
    // local fee (optional rather than defaulted, so manifests that never mention a cache echo back unchanged).
    cache_price_usd: usdStringSchema({ field: "pricing.cache_price_usd" }).optional(),
  },
  { error: objectMessage("pricing") },
);

export type FeaturePricing = z.output<typeof featurePricingSchema>;
