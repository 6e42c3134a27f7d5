import type { RatedCharge } from "./rate-usage.js";

/**
 * A user is never charged more than was held for the request. When usage
 * overran the estimate the hold was sized for, `retail` is cut to the hold
 * and the platform's share absorbs the whole overrun (`retail − held`): the
 * estimate is the platform's, so neither the provider cost (owed whatever we
 * charged) nor the developer's share changes. Parts still add up to
 * `retail`. The platform's part goes negative exactly when the overrun
 * exceeds it (the hold covers less than cost + developer); the settlement
 * then moves that much from platform revenue back into clearing.
 */
export function capChargeAtHold(charge: RatedCharge, heldUnits: bigint): RatedCharge {
  if (charge.retail <= heldUnits) return charge;
  return { ...charge, retail: heldUnits, platform: heldUnits - charge.cost - charge.developer };
}
