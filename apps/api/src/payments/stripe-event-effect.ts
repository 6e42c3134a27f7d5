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
  | "ignored_event_type";

export interface StripeEventEffect {
  outcome: StripeEventOutcome;
  /** The Stripe object the event is about (cs_…, ch_…, dp_…). */
  objectId?: string | undefined;
  topUpId?: string | undefined;
  /** Amounts (wire USD strings) and transfer ids; never secrets. */
  details?: Record<string, string | number | boolean | null>;
}
