import { MAX_MARKUP_BPS } from "./markup-bps.js";

/** Basis points in a whole: 10000 bps = 100 %. */
export const BPS_DENOMINATOR = 10_000;

/**
 * A feature's pricing terms, in the integer form rating works on.
 * Built from the manifest by `pricingFromManifest`, which validates it.
 */
export interface RatingPricing {
  /** Markup over upstream cost in basis points (30 % = 3000); integer, 0..MAX_MARKUP_BPS. */
  markupBps: number;
  /** The developer's share of the margin in basis points; integer, 0..10000. The platform keeps the rest. */
  channelShareBps: number;
  /** Flat, visible fee per BYOK request, in units of 1e-8 USD; ≥ 0. The only thing BYOK ever charges. */
  byokGatewayFeeUnits: bigint;
  /** Flat, visible fee per Local Bridge request, in units of 1e-8 USD; ≥ 0. */
  localFeeUnits: bigint;
}

/**
 * Pricing reaching rating has already been validated at the boundary, so a bad
 * value here is a bug, not bad input: it is thrown as an invariant violation
 * (RangeError → 500) rather than risk charging a wrong amount.
 */
export function assertRatingPricing(pricing: RatingPricing): void {
  assertIntegerIn("markupBps", pricing.markupBps, MAX_MARKUP_BPS);
  assertIntegerIn("channelShareBps", pricing.channelShareBps, BPS_DENOMINATOR);
  if (pricing.byokGatewayFeeUnits < 0n) throw new RangeError("byokGatewayFeeUnits must be ≥ 0");
  if (pricing.localFeeUnits < 0n) throw new RangeError("localFeeUnits must be ≥ 0");
}

function assertIntegerIn(name: string, value: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < 0 || value > max) {
    throw new RangeError(`${name} must be an integer from 0 to ${max}, got ${value}`);
  }
}
