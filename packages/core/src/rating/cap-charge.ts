import type { RatedCharge } from "./rate-usage.js";

/**
 * A user is never charged more than was held for the request. When usage
 * overran the estimate, the charge is cut to the hold: the developer's share
 * goes first (to zero), then the platform's, which may turn negative — the
 * platform absorbs what its estimate missed. The provider cost stays what it
 * was: it is owed whatever we charged. Parts still add up to `retail`.
 */
export function capChargeAtHold(charge: RatedCharge, heldUnits: bigint): RatedCharge {
  if (charge.retail <= heldUnits) return charge;
  return { cost: charge.cost, retail: heldUnits, developer: 0n, platform: heldUnits - charge.cost };
}
