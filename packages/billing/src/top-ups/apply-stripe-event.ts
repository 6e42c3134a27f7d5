// The effects of Stripe's events on our money. Invariant, per event id: the
// transfers and top-up changes it causes are applied once (one stripe_events
// row, committed with them), however often and concurrently it is delivered.
import { AppError } from "@modelfaucet/core";
import type { Database, Queryable } from "@modelfaucet/db";
import { clawBackDispute, clawBackRefund, TopUpNotCreditedError, WalletMovedError } from "./claw-back.js";
import { creditPaidSession } from "./credit-top-up.js";
import {
  chargeSchema,
  checkoutSessionSchema,
  disputeSchema,
  type StripeEventEnvelope,
} from "./stripe-event-schemas.js";
import type { StripeEventEffect, StripeEventOutcome } from "./stripe-event-effect.js";
import { lockTopUp, markTopUpUnpaid } from "./top-up-store.js";
import { auditTopUpEffect } from "./audit-top-up.js";

/** Attempts of one delivery's transaction before answering 409 (Stripe then redelivers). */
const MAX_ATTEMPTS = 4;

export interface AppliedStripeEvent {
  eventId: string;
  outcome: StripeEventOutcome;
  /** True when this event id was processed before: nothing happened in this delivery. */
  duplicate: boolean;
}

/**
 * Applies one verified Stripe event EXACTLY ONCE per event id: the event row
 * (`stripe_events`, id unique) is inserted first, in the same transaction as
 * the ledger transfers and top-up updates it causes. Concurrent deliveries of
 * one event queue on that insert; the first commits, the others find the row
 * and change nothing. If anything fails, nothing is written and Stripe's
 * redelivery starts afresh. Per checkout session the credit is once more
 * guarded by the top-up row lock and the session-derived transfer id.
 */
export async function applyStripeEvent(
  db: Database,
  event: StripeEventEnvelope,
  requestId: string,
): Promise<AppliedStripeEvent> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction((tx) => applyOnce(tx, event, requestId));
    } catch (error) {
      const retryable = error instanceof WalletMovedError || isRetryableConflict(error);
      if (!retryable) throw error;
      if (attempt >= MAX_ATTEMPTS || error instanceof TopUpNotCreditedError) {
        throw error instanceof AppError
          ? error
          : new AppError("conflict", "Concurrent wallet activity; deliver the event again.", {
              retryable: true,
              cause: error,
            });
      }
    }
  }
}

async function applyOnce(tx: Queryable, event: StripeEventEnvelope, requestId: string): Promise<AppliedStripeEvent> {
  const claimed = await tx.query(
    `INSERT INTO stripe_events (id, type, livemode, created_at, outcome)
     VALUES ($1, $2, $3, to_timestamp($4), 'processing')
     ON CONFLICT (id) DO NOTHING`,
    [event.id, event.type, event.livemode, event.created],
  );
  if (claimed.rowCount !== 1) {
    const { rows } = await tx.query<{ outcome: StripeEventOutcome }>(
      "SELECT outcome FROM stripe_events WHERE id = $1",
      [event.id],
    );
    return { eventId: event.id, outcome: rows[0]!.outcome, duplicate: true };
  }
  const effect = await dispatch(tx, event, requestId);
  await tx.query(`UPDATE stripe_events SET outcome = $2, object_id = $3, top_up_id = $4, details = $5 WHERE id = $1`, [
    event.id,
    effect.outcome,
    effect.objectId ?? null,
    effect.topUpId ?? null,
    JSON.stringify(effect.details ?? {}),
  ]);
  await auditTopUpEffect(tx, event.id, effect, requestId);
  return { eventId: event.id, outcome: effect.outcome, duplicate: false };
}

function dispatch(tx: Queryable, event: StripeEventEnvelope, requestId: string): Promise<StripeEventEffect> {
  const context = { eventId: event.id, requestId };
  const object = event.data.object;
  switch (event.type) {
    case "checkout.session.completed":
    case "checkout.session.async_payment_succeeded":
      return creditPaidSession(tx, checkoutSessionSchema.parse(object), context);
    case "checkout.session.expired":
      return markUnpaid(tx, checkoutSessionSchema.parse(object).id, "expired");
    case "checkout.session.async_payment_failed":
      return markUnpaid(tx, checkoutSessionSchema.parse(object).id, "failed");
    case "charge.refunded":
      return clawBackRefund(tx, chargeSchema.parse(object), context);
    case "charge.dispute.created":
      return clawBackDispute(tx, disputeSchema.parse(object), context);
    default:
      return Promise.resolve({ outcome: "ignored_event_type" });
  }
}

async function markUnpaid(
  tx: Queryable,
  checkoutSessionId: string,
  status: "expired" | "failed",
): Promise<StripeEventEffect> {
  const topUp = await lockTopUp(tx, { checkoutSessionId });
  if (!topUp) return { objectId: checkoutSessionId, outcome: "ignored_unknown_top_up" };
  await markTopUpUnpaid(tx, topUp.id, status);
  return {
    objectId: checkoutSessionId,
    topUpId: topUp.id,
    outcome: status === "expired" ? "marked_expired" : "marked_failed",
  };
}

function isRetryableConflict(error: unknown): boolean {
  if (error instanceof AppError) return error.code === "conflict" && error.retryable;
  // A unique violation from a concurrent writer of the same new row (PostgreSQL 23505).
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "23505";
}
