import { UNITS_PER_CENT } from "@modelfaucet/contract";

// Stripe charges USD in whole cents; we count units of 1e-8 USD. (The bounds
// of one top-up, TOP_UP_LIMITS, are the public contract's.)

/** Stripe's integer cents → our units. */
export function centsToUnits(cents: number): bigint {
  if (!Number.isSafeInteger(cents) || cents < 0) throw new RangeError(`not an amount in cents: ${cents}`);
  return BigInt(cents) * UNITS_PER_CENT;
}

/** Our units → Stripe's integer cents; the amount must be a whole number of cents. */
export function unitsToCents(units: bigint): number {
  if (units < 0n || units % UNITS_PER_CENT !== 0n) throw new RangeError(`not a whole number of cents: ${units}`);
  return Number(units / UNITS_PER_CENT);
}
