// Top-up crediting. Invariant, per checkout session: Σ credited to the wallet
// = the session's amount_total (cents → units), once — or 0 when the session
// is refused (not USD, outside TOP_UP_LIMITS, not ours); external_funding is
// debited exactly what the wallet is credited.
import { isWithinTopUpLimits, TOP_UP_LIMITS } from "@modelfaucet/contract";
import { AppError, formatUsd } from "@modelfaucet/core";
import type { Queryable } from "@modelfaucet/db";
import { accountIds, createTransfer, PLATFORM_ACCOUNTS, TRANSFER_CODES } from "@modelfaucet/ledger";
import { openWallet } from "../wallets/wallets.js";
import type { CheckoutSessionObject } from "./stripe-event-schemas.js";
import type { StripeEventEffect } from "./stripe-event-effect.js";
import { isTopUpId, lockTopUp, type TopUp } from "./top-up-store.js";
import { centsToUnits } from "./stripe-cents.js";

/** The ledger transfer that credits a checkout session: one per session, whatever the events. */
export function topUpTransferId(checkoutSessionId: string): string {
  return `stripe_topup:${checkoutSessionId}`;
}

/**
 * A paid checkout session (checkout.session.completed with payment_status
 * paid, or checkout.session.async_payment_succeeded): credits the wallet from
 * platform:external_funding with the amount Stripe collected.
 *
 * Only a session of ours (a known top-up, or one carrying the id of a known
 * wallet) in USD within TOP_UP_LIMITS is credited — the same bounds as
 * checkout creation. A session of ours outside them is not credited but
 * recorded as `rejected_currency` / `rejected_amount` for an operator (the
 * webhook alerts); the event is still answered 200, as redelivering the
 * same event cannot change the answer.
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
  const claim = await claimTopUp(tx, session);
  if (!claim) return { ...base, outcome: "ignored_unknown_top_up" };
  const known = "topUp" in claim ? claim.topUp : undefined;
  if (known && known.checkoutSessionId !== null && known.checkoutSessionId !== session.id) {
    // Our metadata names a top-up that another session already paid for.
    return { ...base, outcome: "ignored_unknown_top_up", details: { claimed_top_up_id: known.id } };
  }
  if (known?.status === "paid") return { ...base, topUpId: known.id, outcome: "already_credited" };
  const paid = paidAmount(session);
  if (!("units" in paid)) return { ...base, topUpId: known?.id, ...paid };
  const paidUnits = paid.units;
  const topUp = "topUp" in claim ? claim.topUp : await adoptTopUp(tx, session, claim.endUserId, paidUnits);

  const transferId = topUpTransferId(session.id);
  await openWallet(tx, topUp.endUserId);
  const result = await createTransfer(tx, {
    kind: "posted",
    id: transferId,
    debitAccountId: PLATFORM_ACCOUNTS.externalFunding,
    creditAccountId: accountIds.user(topUp.endUserId),
    // What Stripe collected is what the user paid, even if it differs from what was asked.
    amount: paidUnits,
    code: TRANSFER_CODES.stripeTopUp,
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

/** A known top-up (locked), or the known wallet an adoptable session names; null when the session is not ours. */
type Claim = { topUp: TopUp } | { endUserId: string };

/**
 * What this session pays for: the top-up it names (by session, payment
 * intent or our id), else — for a session created elsewhere (the Stripe
 * dashboard, `pnpm stripe:webhook:replay`) — the existing end user its
 * metadata `end_user_id` names, whose new top-up it becomes once its amount
 * is accepted: the event is signed by Stripe, and the money was collected.
 */
async function claimTopUp(tx: Queryable, session: CheckoutSessionObject): Promise<Claim | null> {
  const found = await lockTopUp(tx, {
    checkoutSessionId: session.id,
    paymentIntentId: session.payment_intent,
    topUpId: session.metadata?.top_up_id ?? session.client_reference_id ?? null,
  });
  if (found) return { topUp: found };
  const endUserId = session.metadata?.end_user_id;
  if (!endUserId) return null;
  const { rows } = await tx.query("SELECT 1 FROM end_users WHERE id = $1", [endUserId]);
  return rows.length === 0 ? null : { endUserId };
}

/** The amount to credit, or why the session is not credited (zero: nothing was collected, nothing to alert). */
function paidAmount(
  session: CheckoutSessionObject,
): { units: bigint } | Pick<StripeEventEffect, "outcome" | "details"> {
  if (session.currency?.toLowerCase() !== "usd") {
    return { outcome: "rejected_currency", details: { currency: session.currency ?? null } };
  }
  if (session.amount_total == null) return { outcome: "rejected_amount", details: { amount_usd: null } };
  const units = centsToUnits(session.amount_total);
  if (units === 0n) return { outcome: "ignored_zero_amount" };
  if (!isWithinTopUpLimits(units)) {
    return {
      outcome: "rejected_amount",
      details: {
        amount_usd: formatUsd(units),
        min_usd: formatUsd(TOP_UP_LIMITS.minUnits),
        max_usd: formatUsd(TOP_UP_LIMITS.maxUnits),
      },
    };
  }
  return { units };
}

/** Records an adopted session as a new top-up of `endUserId`, locked. */
async function adoptTopUp(
  tx: Queryable,
  session: CheckoutSessionObject,
  endUserId: string,
  paidUnits: bigint,
): Promise<TopUp> {
  const topUpId = session.metadata?.top_up_id ?? session.client_reference_id ?? null;
  const id = isTopUpId(topUpId) ? topUpId : `top_${session.id.slice(3, 67)}`;
  const inserted = await tx.query(
    `INSERT INTO top_ups (id, end_user_id, amount_units, status, checkout_session_id)
     VALUES ($1, $2, $3, 'open', $4) ON CONFLICT DO NOTHING`,
    [id, endUserId, paidUnits.toString(), session.id],
  );
  const adopted = inserted.rowCount === 1 ? await lockTopUp(tx, { checkoutSessionId: session.id }) : null;
  if (!adopted) {
    // Another delivery adopted it first (we waited for its commit): retry, and find what it wrote.
    throw new AppError("conflict", "a concurrent delivery is recording this checkout session; retry", {
      retryable: true,
    });
  }
  return adopted;
}
