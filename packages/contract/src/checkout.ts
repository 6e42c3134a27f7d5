import { formatUsd, USD_SCALE } from "@modelfaucet/core";
import { z } from "zod";
import { usdAmount, usdUnitsField } from "./money.js";

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

const returnUrl = (field: string) =>
  z
    .url({ protocol: /^https?$/, error: `${field} must be an http(s) URL` })
    .max(TOP_UP_LIMITS.maxUrlLength, { error: `${field} must be at most ${TOP_UP_LIMITS.maxUrlLength} characters` });

/** `POST /v1/user/stripe/checkout-sessions`: a wallet top-up of 1.00–10,000.00 USD in whole cents. */
export const checkoutBody = z.object({
  amount_usd: usdUnitsField("amount_usd")
    .refine(isWithinTopUpLimits, {
      error: `amount_usd must be between ${formatUsd(TOP_UP_LIMITS.minUnits)} and ${formatUsd(TOP_UP_LIMITS.maxUnits)}`,
    })
    .refine((units) => units % UNITS_PER_CENT === 0n, { error: "amount_usd must be a whole number of cents" }),
  success_url: returnUrl("success_url"),
  cancel_url: returnUrl("cancel_url"),
});

export type CheckoutRequest = z.input<typeof checkoutBody>;

/** The Stripe Checkout Session started: send the end user to `checkout_url`. */
export const checkoutSessionSchema = z.object({
  top_up_id: z.string(),
  wallet_id: z.string(),
  amount_usd: usdAmount,
  status: z.literal("open"),
  checkout_session_id: z.string(),
  checkout_url: z.string().nullable(),
  expires_at: z.iso.datetime().nullable(),
});

export type CheckoutSession = z.output<typeof checkoutSessionSchema>;
