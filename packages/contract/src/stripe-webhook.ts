import { z } from "zod";

/**
 * `POST /v1/stripe/webhook`: the answer to a verified event. `outcome` is
 * what the event did (`credited`, `refund_debited`, `ignored_event_type`,
 * `rejected_amount`, …); a redelivered event answers `duplicate: true` and
 * changes nothing.
 */
export const stripeWebhookReceiptSchema = z.object({
  received: z.literal(true),
  event_id: z.string(),
  outcome: z.string(),
  duplicate: z.boolean(),
});

export type StripeWebhookReceipt = z.output<typeof stripeWebhookReceiptSchema>;
