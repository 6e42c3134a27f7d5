import { AppError, formatUsd } from "@modelfaucet/core";
import type { Queryable } from "@modelfaucet/db";
import { createTransfer, PLATFORM_ACCOUNTS, userAccountId } from "@modelfaucet/ledger";
import { openWallet } from "../wallets.js";
import type { CheckoutSessionObject } from "./stripe-event-schemas.js";
import type { StripeEventEffect } from "./stripe-event-effect.js";
import { isTopUpId, lockTopUp, type TopUp } from "./top-up-store.js";
import { centsToUnits } from "./top-up-limits.js";

/** The ledger transfer that credits a checkout session: one per session, whatever the events. */
export function topUpTransferId(checkoutSessionId: string): string {
  return `stripe_topup:${checkoutSessionId}`;
}

/**
 * A paid checkout session (checkout.session.completed with payment_status
 * paid, or checkout.session.async_payment_succeeded): credits the wallet from
 * platform:external_funding with the amount Stripe collected.
 *
 * Exactly once per session, by two independent guards: the top-up row is
 * locked and marked `paid` in this transaction, and the ledger transfer id is
 * derived from the session id, so even a second path to the same session
 * answers `exists` instead of crediting again.
 */
export async function creditPaidSession(
  tx: Queryable,
  session: CheckoutSessionObject,
  context: { eventId: string; requestId: string },
): Promise<StripeEventEffect> {
  const base = { objectId: session.id };
  if (session.payment_status !== "paid") return { ...base, outcome: "awaiting_payment" };
  if (session.currency?.toLowerCase() !== "usd" || session.amount_total == null) {
    return { ...base, outcome: "ignored_currency", details: { currency: session.currency ?? null } };
  }
  const paidUnits = centsToUnits(session.amount_total);
  if (paidUnits <= 0n) return { ...base, outcome: "ignored_zero_amount" };
  const topUp = await findOrAdoptTopUp(tx, session, paidUnits);
  if (!topUp) return { ...base, outcome: "ignored_unknown_top_up" };
  if (topUp.checkoutSessionId !== null && topUp.checkoutSessionId !== session.id) {
    // Our metadata names a top-up that another session already paid for.
    return { ...base, outcome: "ignored_unknown_top_up", details: { claimed_top_up_id: topUp.id } };
  }
  if (topUp.status === "paid") return { ...base, topUpId: topUp.id, outcome: "already_credited" };

  const transferId = topUpTransferId(session.id);
  await openWallet(tx, topUp.endUserId);
  const result = await createTransfer(tx, {
    kind: "posted",
    id: transferId,
    debitAccountId: PLATFORM_ACCOUNTS.externalFunding,
    creditAccountId: userAccountId(topUp.endUserId),
    // What Stripe collected is what the user paid, even if it differs from what was asked.
    amount: paidUnits,
    code: "stripe_top_up",
    requestId: context.requestId,
    metadata: { top_up_id: topUp.id, checkout_session_id: session.id },
  });
  if (result.result !== "created" && result.result !== "exists") {
    throw new Error(`ledger refused the top-up credit ${transferId}: ${result.result}`);
  }
  await tx.query(
    `UPDATE top_ups SET status = 'paid', paid_at = now(), updated_at = now(), checkout_session_id = $2,
       payment_intent_id = coalesce($3, payment_intent_id), credit_transfer_id = $4, amount_units = $5
     WHERE id = $1`,
    [topUp.id, session.id, session.payment_intent, transferId, paidUnits.toString()],
  );
  return {
    ...base,
    topUpId: topUp.id,
    outcome: result.result === "created" ? "credited" : "already_credited",
    details: {
      amount_usd: formatUsd(paidUnits),
      requested_usd: formatUsd(topUp.amountUnits),
      transfer_id: transferId,
      wallet_id: topUp.endUserId,
    },
  };
}

/**
 * The top-up this session pays for. A session created elsewhere (the Stripe
 * dashboard, `pnpm stripe:webhook:replay`) with our metadata `end_user_id` of an
 * existing end user is adopted as a new top-up: the event is signed by Stripe,
 * and the money was collected.
 */
async function findOrAdoptTopUp(
  tx: Queryable,
  session: CheckoutSessionObject,
  paidUnits: bigint,
): Promise<TopUp | null> {
  const topUpId = session.metadata?.top_up_id ?? session.client_reference_id ?? null;
  const found = await lockTopUp(tx, {
    checkoutSessionId: session.id,
    paymentIntentId: session.payment_intent,
    topUpId,
  });
  if (found) return found;
  const endUserId = session.metadata?.end_user_id;
  if (!endUserId) return null;
  const { rows } = await tx.query("SELECT 1 FROM end_users WHERE id = $1", [endUserId]);
  if (rows.length === 0) return null;
  const id = isTopUpId(topUpId) ? topUpId : `top_${session.id.slice(3, 67)}`;
  const inserted = await tx.query(
    `INSERT INTO top_ups (id, end_user_id, amount_units, status, checkout_session_id)
     VALUES ($1, $2, $3, 'open', $4) ON CONFLICT DO NOTHING`,
    [id, endUserId, paidUnits.toString(), session.id],
  );
  if (inserted.rowCount !== 1) {
    // Another delivery adopted it first (we waited for its commit): lock what it wrote.
    throw new AppError("conflict", "a concurrent delivery is recording this checkout session; retry", {
      retryable: true,
    });
  }
  return lockTopUp(tx, { checkoutSessionId: session.id });
}
