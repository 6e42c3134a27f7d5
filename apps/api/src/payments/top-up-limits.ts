import { USD_SCALE } from "@modelfaucet/core";

/** Units of 1e-8 USD in one cent: Stripe charges USD in whole cents. */
export const UNITS_PER_CENT = USD_SCALE / 100n;

/** Bounds on one top-up, in units of 1e-8 USD (1 USD … 10,000 USD). */
export const TOP_UP_LIMITS = {
  minUnits: 1n * USD_SCALE,
  maxUnits: 10_000n * USD_SCALE,
  /** Longest success_url / cancel_url accepted (Stripe allows 5000). */
  maxUrlLength: 2048,
} as const;

/**
 * Whether one top-up of `units` is within TOP_UP_LIMITS: checked when a
 * checkout is created and again when Stripe reports it paid, so a session
 * made elsewhere (the dashboard, a replayed or forged-with-the-secret event)
 * cannot credit more.
 */
export function isWithinTopUpLimits(units: bigint): boolean {
  return units >= TOP_UP_LIMITS.minUnits && units <= TOP_UP_LIMITS.maxUnits;
}

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
