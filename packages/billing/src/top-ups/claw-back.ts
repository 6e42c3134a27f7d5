// Refunds and disputes take money back that a top-up put in a wallet.
//
// Invariant, per top-up: Σ of its claw-back transfers = refunded_units +
// disputed_units ≤ the amount credited; each claw-back A = covered (from the
// wallet) + shortfall (booked to platform:receivable), receivable_units =
// Σ shortfalls, and the wallet never goes below zero.
//
// ## Accounting
//
// When Stripe returns `A` to the card holder (a refund) or the bank takes it
// (a dispute), `A` leaves the platform: platform:external_funding is credited
// with `A`, mirroring the top-up that debited it. The matching debit is split,
// in one all-or-nothing ledger batch:
//
//   covered   = min(A, wallet available)   user:<id>           → external_funding
//   shortfall = A − covered                platform:receivable → external_funding
//
// The wallet never goes below zero (and a hold in flight keeps what it holds);
// what the user had already spent is not lost but booked as a receivable: the
// debit-normal platform:receivable grows by the shortfall, i.e. the platform
// is owed that much by this user (`top_ups.receivable_units` keeps the
// per-user figure, the transfers carry `top_up_id` and `wallet_id`). Σ of all
// balances stays 0, so reconciliation holds. Recovering a receivable (from a
// later top-up, or writing it off) is an operator adjustment, not done here.
//
// ## Exactly once
//
// Charges report `amount_refunded` cumulatively, so a refund event claws back
// `min(amount_refunded, credited − disputed) − already refunded`: a replay or
// an older event delivered late finds nothing left to take. A dispute claws
// back its amount at most once per dispute id (transfer ids
// `stripe_dispute:<dp_…>:*`), capped so refunds + disputes never exceed what
// was credited. The top-up row is locked for the whole computation.
import { AppError, formatUsd } from "@modelfaucet/core";
import type { Queryable } from "@modelfaucet/db";
import {
  accountIds,
  createTransfers,
  getBalance,
  PLATFORM_ACCOUNTS,
  TRANSFER_CODES,
  type TransferCode,
  type TransferInput,
} from "@modelfaucet/ledger";
import type { ChargeObject, DisputeObject } from "./stripe-event-schemas.js";
import type { StripeEventEffect } from "./stripe-event-effect.js";
import { lockTopUp, type TopUp } from "./top-up-store.js";
import { centsToUnits } from "./stripe-cents.js";

/** Claws back what a refund event adds to the charge's refunded total. */
export async function clawBackRefund(
  tx: Queryable,
  charge: ChargeObject,
  context: { requestId: string },
): Promise<StripeEventEffect> {
  const base = { objectId: charge.id };
  if (charge.currency.toLowerCase() !== "usd") return { ...base, outcome: "ignored_currency" };
  const topUp = await lockCreditedTopUp(tx, charge.payment_intent, charge.metadata?.top_up_id);
  if (!topUp) return { ...base, outcome: "ignored_unknown_top_up" };
  const target = min(centsToUnits(charge.amount_refunded), topUp.amountUnits - topUp.disputedUnits);
  const amount = target - topUp.refundedUnits;
  if (amount <= 0n) return { ...base, topUpId: topUp.id, outcome: "nothing_to_claw_back" };
  const split = await debitWallet(tx, topUp, amount, {
    idPrefix: `stripe_refund:${charge.id}:${target}`,
    codes: { wallet: TRANSFER_CODES.stripeRefund, receivable: TRANSFER_CODES.stripeRefundReceivable },
    requestId: context.requestId,
  });
  await tx.query(
    `UPDATE top_ups SET refunded_units = refunded_units + $2, receivable_units = receivable_units + $3,
       updated_at = now() WHERE id = $1`,
    [topUp.id, amount.toString(), split.shortfall.toString()],
  );
  return { ...base, topUpId: topUp.id, outcome: "refund_debited", details: splitDetails(topUp, amount, split) };
}

/** Claws back a dispute's amount, at most once per dispute. */
export async function clawBackDispute(
  tx: Queryable,
  dispute: DisputeObject,
  context: { requestId: string },
): Promise<StripeEventEffect> {
  const base = { objectId: dispute.id };
  if (dispute.currency.toLowerCase() !== "usd") return { ...base, outcome: "ignored_currency" };
  const topUp = await lockCreditedTopUp(tx, dispute.payment_intent, dispute.metadata?.top_up_id);
  if (!topUp) return { ...base, outcome: "ignored_unknown_top_up" };
  const idPrefix = `stripe_dispute:${dispute.id}`;
  const { rows } = await tx.query("SELECT 1 FROM ledger_transfers WHERE id = ANY($1::text[])", [
    [`${idPrefix}:wallet`, `${idPrefix}:receivable`],
  ]);
  const left = topUp.amountUnits - topUp.refundedUnits - topUp.disputedUnits;
  const amount = rows.length > 0 ? 0n : min(centsToUnits(dispute.amount), left);
  if (amount <= 0n) return { ...base, topUpId: topUp.id, outcome: "nothing_to_claw_back" };
  const split = await debitWallet(tx, topUp, amount, {
    idPrefix,
    codes: { wallet: TRANSFER_CODES.stripeDispute, receivable: TRANSFER_CODES.stripeDisputeReceivable },
    requestId: context.requestId,
  });
  await tx.query(
    `UPDATE top_ups SET disputed_units = disputed_units + $2, receivable_units = receivable_units + $3,
       updated_at = now() WHERE id = $1`,
    [topUp.id, amount.toString(), split.shortfall.toString()],
  );
  return { ...base, topUpId: topUp.id, outcome: "dispute_debited", details: splitDetails(topUp, amount, split) };
}

/**
 * The credited top-up a charge belongs to, locked. A charge of a top-up whose
 * completion event has not been processed yet (events arrive in any order) is
 * refused as retryable: Stripe redelivers later, after the credit.
 */
async function lockCreditedTopUp(
  tx: Queryable,
  paymentIntentId: string | null,
  topUpId: string | undefined,
): Promise<TopUp | null> {
  const topUp = await lockTopUp(tx, { paymentIntentId, topUpId: topUpId ?? null });
  if (!topUp) return null;
  if (topUp.status !== "paid") throw new TopUpNotCreditedError(topUp.id);
  return topUp;
}

/** A refund or dispute arrived before its top-up's credit: answered 409 so Stripe delivers it again later. */
export class TopUpNotCreditedError extends AppError {
  constructor(topUpId: string) {
    super("conflict", `Top-up ${topUpId} is not credited yet; deliver this event again later.`, { retryable: true });
  }
}

interface Split {
  covered: bigint;
  shortfall: bigint;
  transferIds: string[];
}

/** Thrown when the wallet was spent between our balance read and our debit: the transaction is retried. */
export class WalletMovedError extends Error {
  constructor() {
    super("the wallet changed while a claw-back was computed");
    this.name = "WalletMovedError";
  }
}

async function debitWallet(
  tx: Queryable,
  topUp: TopUp,
  amount: bigint,
  options: { idPrefix: string; codes: { wallet: TransferCode; receivable: TransferCode }; requestId: string },
): Promise<Split> {
  const wallet = accountIds.user(topUp.endUserId);
  const available = (await getBalance(tx, wallet))?.available ?? 0n;
  const covered = min(amount, available > 0n ? available : 0n);
  const shortfall = amount - covered;
  const metadata = { top_up_id: topUp.id, wallet_id: topUp.endUserId };
  const common = { kind: "posted" as const, creditAccountId: PLATFORM_ACCOUNTS.externalFunding, metadata };
  const transfers: TransferInput[] = [];
  if (covered > 0n) {
    transfers.push({
      ...common,
      id: `${options.idPrefix}:wallet`,
      debitAccountId: wallet,
      amount: covered,
      code: options.codes.wallet,
      requestId: options.requestId,
    });
  }
  if (shortfall > 0n) {
    transfers.push({
      ...common,
      id: `${options.idPrefix}:receivable`,
      debitAccountId: PLATFORM_ACCOUNTS.receivable,
      amount: shortfall,
      code: options.codes.receivable,
      requestId: options.requestId,
    });
  }
  const results = await createTransfers(tx, transfers);
  if (results.some((result) => result.result === "exceeds_credits")) throw new WalletMovedError();
  const refused = results.find((result) => result.result !== "created");
  if (refused) throw new Error(`ledger refused claw-back transfer ${refused.id}: ${refused.result}`);
  return { covered, shortfall, transferIds: transfers.map((transfer) => transfer.id) };
}

function splitDetails(topUp: TopUp, amount: bigint, split: Split) {
  return {
    wallet_id: topUp.endUserId,
    amount_usd: formatUsd(amount),
    from_wallet_usd: formatUsd(split.covered),
    to_receivable_usd: formatUsd(split.shortfall),
    transfer_ids: split.transferIds.join(","),
  };
}

const min = (a: bigint, b: bigint) => (a < b ? a : b);
