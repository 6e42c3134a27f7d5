// A payout's review. Invariant, per payout: paid ⇔ its hold posted and the
// same amount sent out (payouts_clearing → external_funding), once;
// cancelled ⇔ its hold voided (or already expired); the status and the
// transfers commit together.
import type { PayoutStatus } from "@modelfaucet/contract";
import { AppError, formatUsd } from "@modelfaucet/core";
import type { Database, Queryable } from "@modelfaucet/db";
import { createTransfers, PLATFORM_ACCOUNTS, TRANSFER_CODES } from "@modelfaucet/ledger";
import { appendAuditEntry, operatorActor } from "@modelfaucet/store";
import { PAYOUT_COLUMNS, payoutTransferIds, type PayoutRow } from "./payout-record.js";

interface ReviewInput {
  payoutId: string;
  requestId: string;
}

/**
 * The one way a payout changes status: a conditional UPDATE that matches only
 * while the payout is in one of `from`. Of concurrent requests the first
 * takes the row lock and the others, re-checking the condition after it
 * commits, match nothing — so each transition happens at most once. (The
 * trigger of migration 0009 refuses any illegal transition regardless.)
 */
async function transition(
  tx: Queryable,
  payoutId: string,
  from: readonly PayoutStatus[],
  to: PayoutStatus,
  set: string,
  params: readonly unknown[] = [],
): Promise<PayoutRow> {
  const { rows } = await tx.query<PayoutRow>(
    `UPDATE payouts SET status = $2, updated_at = now(), ${set}
     WHERE id = $1 AND status = ANY($3::text[])
     RETURNING ${PAYOUT_COLUMNS}`,
    [payoutId, to, from, ...params],
  );
  if (rows[0]) return rows[0];
  const current = await tx.query<{ status: PayoutStatus }>("SELECT status FROM payouts WHERE id = $1", [payoutId]);
  const status = current.rows[0]?.status;
  if (!status) throw new AppError("not_found", "No payout with this id.");
  throw new AppError("conflict", `The payout is ${status}; this needs it to be ${from.join(" or ")}.`);
}

/** pending → processing, with the operator's note. */
export function approvePayout(db: Database, input: ReviewInput & { note: string | null }) {
  return db.transaction(async (tx) => {
    const payout = await transition(
      tx,
      input.payoutId,
      ["pending"],
      "processing",
      "approved_at = now(), approval_note = $4",
      [input.note],
    );
    await appendAuditEntry(tx, reviewEntry("payout.approve", payout, input.requestId, { note: input.note }));
    return payout;
  });
}

/**
 * processing → paid. In the same transaction: the hold is posted (developer →
 * payouts_clearing) and the money leaves the platform (payouts_clearing →
 * external_funding), so the status and the money move together or not at all.
 */
export function markPayoutPaid(db: Database, input: ReviewInput): Promise<PayoutRow> {
  return db.transaction(async (tx) => {
    const payout = await transition(tx, input.payoutId, ["processing"], "paid", "paid_at = now()");
    const ids = payoutTransferIds(payout.id);
    const amount = BigInt(payout.amount_units);
    const [post, send] = await createTransfers(tx, [
      { kind: "post_pending", id: ids.post, pendingId: payout.hold_transfer_id, requestId: input.requestId },
      {
        kind: "posted",
        id: ids.send,
        debitAccountId: PLATFORM_ACCOUNTS.payoutsClearing,
        creditAccountId: PLATFORM_ACCOUNTS.externalFunding,
        amount,
        code: TRANSFER_CODES.payoutSent,
        requestId: input.requestId,
        metadata: { payout_id: payout.id, developer_id: payout.developer_id },
      },
    ]);
    if (post?.result === "already_expired") {
      throw new AppError(
        "conflict",
        "The payout's ledger hold expired and was released; cancel this payout and run payouts again.",
      );
    }
    // Anything but `created` means the ledger disagrees with the payout row: an
    // invariant violation, so the transaction (status included) is rolled back.
    if (post?.result !== "created" || send?.result !== "created") {
      throw new Error(`payout ${payout.id}: ledger refused mark-paid: ${post?.result} / ${send?.result}`);
    }
    await appendAuditEntry(
      tx,
      reviewEntry("payout.mark_paid", payout, input.requestId, {
        post_transfer_id: ids.post,
        send_transfer_id: ids.send,
      }),
    );
    return payout;
  });
}

/** pending | processing → cancelled; the hold is voided and the balance is the developer's again. */
export function cancelPayout(db: Database, input: ReviewInput & { reason: string | null }) {
  return db.transaction(async (tx) => {
    const payout = await transition(
      tx,
      input.payoutId,
      ["pending", "processing"],
      "cancelled",
      "cancelled_at = now(), cancel_reason = $4",
      [input.reason],
    );
    const ids = payoutTransferIds(payout.id);
    const [voided] = await createTransfers(tx, [
      { kind: "void_pending", id: ids.void, pendingId: payout.hold_transfer_id, requestId: input.requestId },
    ]);
    // A hold the sweeper already expired has released the money: nothing left to void.
    if (voided?.result !== "created" && voided?.result !== "already_expired") {
      throw new Error(`payout ${payout.id}: ledger refused cancel: ${voided?.result}`);
    }
    await appendAuditEntry(
      tx,
      reviewEntry("payout.cancel", payout, input.requestId, { reason: input.reason, void_transfer_id: ids.void }),
    );
    return payout;
  });
}

function reviewEntry(action: string, payout: PayoutRow, requestId: string, details: Record<string, unknown>) {
  return {
    ...operatorActor(requestId),
    action,
    resourceType: "payout",
    resourceId: payout.id,
    developerId: payout.developer_id,
    details: { amount_usd: formatUsd(BigInt(payout.amount_units)), ...details },
  };
}
