import { BPS_DENOMINATOR } from "./rating-pricing.js";
import { splitMargin, type RatedCharge } from "./rate-usage.js";

/**
 * Rates a request answered from the response cache: no upstream was called,
 * so the cost is 0; the end user pays exactly the feature's cache price
 * (possibly 0), and that whole price is margin, split like any margin —
 * `developer = ⌊price × channelShareBps / 10000⌋`, the platform the rest.
 * The parts add up exactly to `retail`. Throws RangeError (an invariant
 * violation) on out-of-range input: both are validated with the manifest.
 */
export function rateCacheHit(cachePriceUnits: bigint, channelShareBps: number): RatedCharge {
  if (cachePriceUnits < 0n) throw new RangeError("cachePriceUnits must be ≥ 0");
  if (!Number.isSafeInteger(channelShareBps) || channelShareBps < 0 || channelShareBps > BPS_DENOMINATOR) {
    throw new RangeError(`channelShareBps must be an integer from 0 to ${BPS_DENOMINATOR}, got ${channelShareBps}`);
  }
  return splitMargin(0n, cachePriceUnits, channelShareBps);
}
