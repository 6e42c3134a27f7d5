import { z } from "zod";

/**
 * The parts of Stripe's webhook payloads we act on, parsed by schema rather
 * than trusted by type: a verified signature proves who sent the bytes, not
 * that they have the shape we expect. Unknown fields pass through untouched.
 * Objects: https://docs.stripe.com/api/events/object,
 * https://docs.stripe.com/api/checkout/sessions/object,
 * https://docs.stripe.com/api/charges/object, https://docs.stripe.com/api/disputes/object
 */

const metadata = z.record(z.string(), z.string()).nullish();

/** An expandable reference: the id, or the expanded object carrying it. */
const reference = (prefix: string) =>
  z
    .union([z.string(), z.object({ id: z.string() })])
    .nullish()
    .transform((value) => (typeof value === "string" ? value : (value?.id ?? null)))
    .refine((id) => id === null || id.startsWith(prefix), { error: `expected a ${prefix}… id` });

/** Bounded so transfer ids built from them stay within the ledger's 160 characters. */
const stripeId = (prefix: string) =>
  z.string().regex(new RegExp(`^${prefix}[A-Za-z0-9_]{1,140}$`), { error: `expected a ${prefix}… id` });

const cents = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const stripeEventSchema = z.object({
  id: z.string().regex(/^evt_[A-Za-z0-9_]{1,250}$/, { error: "expected an evt_… id" }),
  type: z.string().min(1).max(200),
  livemode: z.boolean(),
  /** Unix seconds. */
  created: z.number().int().min(0),
  data: z.object({ object: z.record(z.string(), z.unknown()) }),
});
export type StripeEventEnvelope = z.output<typeof stripeEventSchema>;

export const checkoutSessionSchema = z.object({
  id: stripeId("cs_"),
  /** `paid` once the money is captured; `unpaid` while an async method (e.g. a bank debit) is pending. */
  payment_status: z.string(),
  amount_total: cents.nullish(),
  currency: z.string().nullish(),
  client_reference_id: z.string().nullish(),
  metadata,
  payment_intent: reference("pi_"),
});
export type CheckoutSessionObject = z.output<typeof checkoutSessionSchema>;

export const chargeSchema = z.object({
  id: stripeId("ch_"),
  currency: z.string(),
  amount: cents,
  /** Cumulative over every refund of this charge, so any one event carries the total so far. */
  amount_refunded: cents,
  payment_intent: reference("pi_"),
  metadata,
});
export type ChargeObject = z.output<typeof chargeSchema>;

export const disputeSchema = z.object({
  id: stripeId("dp_"),
  currency: z.string(),
  amount: cents,
  charge: reference("ch_"),
  payment_intent: reference("pi_"),
  metadata,
});
export type DisputeObject = z.output<typeof disputeSchema>;
