import type { Queryable } from "@modelfaucet/db";
import { appendAuditEntry } from "@modelfaucet/store";
import type { StripeEventEffect, StripeEventOutcome } from "./stripe-event-effect.js";

// The outcomes that moved money or refused to, and the audit action each is recorded as.
const AUDITED: Partial<Record<StripeEventOutcome, string>> = {
  credited: "top_up.credit",
  refund_debited: "top_up.refund_debit",
  dispute_debited: "top_up.dispute_debit",
  rejected_currency: "top_up.credit_rejected",
  rejected_amount: "top_up.credit_rejected",
};

/** The developer whose app the top-up's wallet belongs to: the tenant whose operations view shows it. */
export async function topUpDeveloperId(q: Queryable, topUpId: string): Promise<string | null> {
  const { rows } = await q.query<{ developer_id: string }>(
    `SELECT a.developer_id FROM top_ups t JOIN end_users u ON u.id = t.end_user_id JOIN apps a ON a.id = u.app_id
     WHERE t.id = $1`,
    [topUpId],
  );
  return rows[0]?.developer_id ?? null;
}

/**
 * Records a Stripe event that moved a wallet's money (credit, refund,
 * dispute), or refused to credit a known top-up Stripe was paid for, as a
 * `system` action by that event; other outcomes moved nothing and are kept in
 * `stripe_events` only. Details are amounts and transfer ids.
 */
export async function auditTopUpEffect(
  q: Queryable,
  eventId: string,
  effect: StripeEventEffect,
  requestId: string,
): Promise<void> {
  const action = AUDITED[effect.outcome];
  if (!action || !effect.topUpId) return;
  await appendAuditEntry(q, {
    actorType: "system",
    actorId: eventId,
    developerId: await topUpDeveloperId(q, effect.topUpId),
    action,
    resourceType: "top_up",
    resourceId: effect.topUpId,
    requestId,
    details: { ...effect.details, stripe_object_id: effect.objectId ?? null },
  });
}
