// An operator's correction of a wallet, as ONE ledger transfer against
// external funding. Invariant, per idempotency key: the wallet moves by
// ±amount once and external funding by ∓amount; a debit never takes the
// wallet's available balance below 0 — it is refused instead (unlike a Stripe
// refund, which books the shortfall as a receivable), so the operator decides
// what to do with the difference.
import { AppError, formatUsd } from "@modelfaucet/core";
import { newId } from "@modelfaucet/crypto";
import type { Database, Queryable } from "@modelfaucet/db";
import { createTransfer, TRANSFER_CODES, type CreateTransferResult } from "@modelfaucet/ledger";
import { appendAuditEntry, operatorActor } from "@modelfaucet/store";
import { walletBalance } from "../wallets/wallets.js";
import { operatorTransferApplied, operatorTransferId, operatorTransferInput } from "./operator-transfer.js";

export interface AdjustmentInput {
  endUserId: string;
  /** Becomes the transfer's code. */
  kind: keyof typeof ADJUSTMENT_CODES;
  direction: "credit" | "debit";
  /** Units, > 0. */
  amountUnits: bigint;
  /** Kept in the transfer's metadata and the audit entry. */
  reason: string;
  idempotencyKey: string | undefined;
  requestId: string;
}

export interface Adjustment {
  transferId: string;
  /** False when an earlier request with the same key applied it. */
  applied: boolean;
}

const ADJUSTMENT_CODES = {
  adjustment: TRANSFER_CODES.adjustment,
  refund: TRANSFER_CODES.refund,
  chargeback: TRANSFER_CODES.chargeback,
} as const;

/**
 * Applies the adjustment and, when it moved money now, its audit entry, in
 * one transaction. The same key with other content (kind, direction, amount
 * or reason) is 409; a debit the available balance cannot cover is 402
 * `insufficient_balance`, nothing written.
 */
export async function adjustWallet(db: Database, input: AdjustmentInput): Promise<Adjustment> {
  const transferId = operatorTransferId("adjustment", input.endUserId, input.idempotencyKey, () => newId("adj"));
  const outcome = await applyOnce(() => db.transaction((tx) => applyAdjustment(tx, input, transferId)));
  if (outcome.result === "exceeds_credits") {
    const { available } = await walletBalance(db, input.endUserId);
    throw new AppError(
      "insufficient_balance",
      `The wallet's available balance is ${formatUsd(available)} USD; a debit of ` +
        `${formatUsd(input.amountUnits)} USD would take it below zero. Nothing was debited.`,
    );
  }
  const applied = operatorTransferApplied(outcome, "This idempotency key was already used for a different adjustment.");
  return { transferId, applied };
}

/** The transfer and, when it moved money now, its audit entry — in the caller's transaction. */
async function applyAdjustment(tx: Queryable, input: AdjustmentInput, transferId: string) {
  const outcome = await createTransfer(
    tx,
    operatorTransferInput({
      transferId,
      endUserId: input.endUserId,
      direction: input.direction,
      amountUnits: input.amountUnits,
      code: ADJUSTMENT_CODES[input.kind],
      metadata: { direction: input.direction, reason: input.reason },
    }),
  );
  if (outcome.result === "created") {
    const { rows } = await tx.query<{ developer_id: string }>(
      `SELECT a.developer_id FROM end_users e JOIN apps a ON a.id = e.app_id WHERE e.id = $1`,
      [input.endUserId],
    );
    await appendAuditEntry(tx, {
      ...operatorActor(input.requestId),
      action: `wallet.${input.kind}_${input.direction}`,
      resourceType: "wallet",
      resourceId: input.endUserId,
      developerId: rows[0]?.developer_id ?? null,
      details: {
        kind: input.kind,
        direction: input.direction,
        amount_usd: formatUsd(input.amountUnits),
        reason: input.reason,
        transfer_id: transferId,
      },
    });
  }
  return outcome;
}

/**
 * Two requests with the same key at once: the ledger, inside our transaction,
 * reports the loser's lost id race as a retryable `conflict`. Run it once
 * more; its fresh read then sees the winner and answers `exists` (or a real
 * conflict when the content differs).
 */
async function applyOnce(run: () => Promise<CreateTransferResult>): Promise<CreateTransferResult> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof AppError && error.code === "conflict" && error.retryable) return run();
    throw error;
  }
}
