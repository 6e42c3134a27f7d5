import type { ModelPrice } from "../catalog/model-price.js";
import { assertRatingPricing, BPS_DENOMINATOR, type RatingPricing } from "./rating-pricing.js";
import type { RouteMode } from "./route-mode.js";
import { assertTokenUsage, type TokenUsage } from "./token-usage.js";

/**
 * What one request charges the end user and where the money goes, in units of
 * 1e-8 USD; `cost + developer + platform === retail` exactly. As `rateUsage`
 * rates it every part is ≥ 0 and `retail ≥ cost + developer`. Only
 * `capChargeAtHold` can change that, and only `retail` and `platform`: when
 * usage overran the hold, `retail` is cut to it and the platform absorbs the
 * overrun — its part is negative when the hold covers less than
 * `cost + developer`.
 */
export interface RatedCharge {
  /** Upstream provider cost (0 for BYOK and local); ≥ 0. */
  cost: bigint;
  /** What the end user pays; ≥ 0. ≥ cost as rated; after a cap at the hold, possibly less. */
  retail: bigint;
  /** The developer's (channel's) share of the margin, ⌊margin × channel share⌋; ≥ 0, never cut by a cap. */
  developer: bigint;
  /** The platform's share: `retail − cost − developer`. ≥ 0 as rated; negative only after a cap (see above). */
  platform: bigint;
}

export interface RateUsageInput {
  usage: TokenUsage;
  /** Catalog price of the model; ignored for `byok` and `local`. */
  price: ModelPrice;
  pricing: RatingPricing;
  routeMode: RouteMode;
}

const TOKENS_PER_PRICE = 1_000_000n;
const BPS = BigInt(BPS_DENOMINATOR);

/**
 * Rates one request. Pure, exact (bigint only), and rounded once.
 *
 * Rounding rules, for `platform` and `developer_key` routes:
 * - the exact cost is the rational `Σ tokens × units-per-1M / 1e6`;
 * - `cost = ⌈exact⌉`: never under-recover what the provider bills us
 *   (`cost − exact < 1 unit`);
 * - `retail = ⌈exact × (10000 + markupBps) / 10000⌉`, from the exact value,
 *   not from the rounded cost, so markup is not applied to rounding
 *   (`retail − exact retail < 1 unit`); `retail ≥ cost` because ⌈·⌉ is monotone;
 * - `developer = ⌊(retail − cost) × channelShareBps / 10000⌋`: the one
 *   rounding of the split goes to the platform;
 * - `platform = retail − cost − developer`, so the parts add up exactly.
 *
 * `byok` and `local`: upstream cost is 0 and the end user pays exactly the
 * feature's flat, visible fee (possibly 0), split between developer and
 * platform like a margin. Tokens never influence what BYOK charges: no
 * hidden markup, ever.
 *
 * Throws RangeError (an invariant violation) on out-of-range usage or pricing;
 * both are validated at the boundary before they get here.
 */
export function rateUsage({ usage, price, pricing, routeMode }: RateUsageInput): RatedCharge {
  assertTokenUsage(usage);
  assertRatingPricing(pricing);
  switch (routeMode) {
    case "platform":
    case "developer_key":
      return rateTokens(usage, price, pricing);
    case "byok":
      return splitMargin(0n, pricing.byokGatewayFeeUnits, pricing.channelShareBps);
    case "local":
      return splitMargin(0n, pricing.localFeeUnits, pricing.channelShareBps);
    default:
      throw new RangeError(`unknown route mode ${String(routeMode satisfies never)}`);
  }
}

function rateTokens(usage: TokenUsage, price: ModelPrice, pricing: RatingPricing): RatedCharge {
  const exactCostTimesMillion = costTimesMillion(usage, price);
  const cost = ceilDiv(exactCostTimesMillion, TOKENS_PER_PRICE);
  const retail = ceilDiv(exactCostTimesMillion * (BPS + BigInt(pricing.markupBps)), TOKENS_PER_PRICE * BPS);
  return splitMargin(cost, retail, pricing.channelShareBps);
}

/** The exact upstream cost × 1e6, an integer: prices are per 1M tokens. */
function costTimesMillion(usage: TokenUsage, price: ModelPrice): bigint {
  assertPrice(price);
  const uncachedInput = BigInt(usage.inputTokens - usage.cachedInputTokens);
  return (
    uncachedInput * price.inputUnitsPerMTok +
    BigInt(usage.cachedInputTokens) * price.cachedInputUnitsPerMTok +
    BigInt(usage.outputTokens) * price.outputUnitsPerMTok
  );
}

/** Splits `retail − cost` between developer and platform (also rates a cache hit: rate-cache-hit.ts). */
export function splitMargin(cost: bigint, retail: bigint, channelShareBps: number): RatedCharge {
  const margin = retail - cost;
  // Floor (bigint division truncates, and margin ≥ 0): any fraction stays with the platform.
  const developer = (margin * BigInt(channelShareBps)) / BPS;
  return { cost, retail, developer, platform: margin - developer };
}

function ceilDiv(numerator: bigint, denominator: bigint): bigint {
  return (numerator + denominator - 1n) / denominator;
}

/** Catalog prices are parsed non-negative; a negative one here is a bug. */
function assertPrice(price: ModelPrice): void {
  if (price.inputUnitsPerMTok < 0n || price.cachedInputUnitsPerMTok < 0n || price.outputUnitsPerMTok < 0n) {
    throw new RangeError("model prices must be ≥ 0");
  }
}
