/**
 * What one Stripe event did, as stored in `stripe_events.outcome`: an explicit
 * result, never a boolean. Only `credited`, `refund_debited` and
 * `dispute_debited` moved money in this delivery.
 */
export type StripeEventOutcome =
  | "credited"
  /** Another event of the same checkout session credited it already. */
  | "already_credited"
  /** Completed with an asynchronous payment method still pending; a later event credits it. */
  | "awaiting_payment"
  | "refund_debited"
  | "dispute_debited"
  /** A refund or dispute event whose amount was already clawed back (e.g. delivered out of order). */
  | "nothing_to_claw_back"
  | "marked_expired"
  | "marked_failed"
  | "ignored_unknown_top_up"
  | "ignored_currency"
  | "ignored_zero_amount"
  | "ignored_event_type"
  /** A paid session of ours in another currency than USD (or with no currency or amount): not credited, alerted. */
  | "rejected_currency"
  /** A paid session of ours outside TOP_UP_LIMITS: not credited, alerted. */
  | "rejected_amount";

/**
 * Outcomes where money was collected for one of our wallets and refused
 * credit: an operator must look (refund it, or credit it by an adjustment).
 * Each maps to the `reason` label of modelfaucet_stripe_rejected_events_total.
 */
export const REJECTION_REASONS: Partial<Record<StripeEventOutcome, string>> = {
  rejected_currency: "currency",
  rejected_amount: "amount_out_of_bounds",
};

export interface StripeEventEffect {
  outcome: StripeEventOutcome;
  /** The Stripe object the event is about (cs_…, ch_…, dp_…). */
  objectId?: string | undefined;
  topUpId?: string | undefined;
  /** Amounts (wire USD strings) and transfer ids; never secrets. */
  details?: Record<string, string | number | boolean | null>;
}
