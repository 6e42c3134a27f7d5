import { AppError } from "@modelfaucet/core";
import {
  accountIds,
  PLATFORM_ACCOUNTS,
  type CreateTransferResult,
  type JsonObject,
  type PostedTransferInput,
  type TransferCode,
} from "@modelfaucet/ledger";

export interface OperatorTransfer {
  /** The caller's idempotency id (see operatorTransferId). */
  transferId: string;
  endUserId: string;
  /** credit: external_funding → wallet; debit: wallet → external_funding. */
  direction: "credit" | "debit";
  amountUnits: bigint;
  code: TransferCode;
  metadata?: JsonObject;
}

/**
 * The transfer id of an operator's wallet transfer: named by the wallet and
 * the request's idempotency key, so a retry is the same transfer; a fresh id
 * without one. No request id goes into the transfer: a retry under a new
 * x-request-id must match the original (the audit entry keeps the request id).
 */
export function operatorTransferId(
  kind: "test_credit" | "adjustment",
  endUserId: string,
  idempotencyKey: string | undefined,
  freshId: () => string,
): string {
  return idempotencyKey ? `${kind}:${endUserId}:${idempotencyKey}` : `${kind}:${freshId()}`;
}

/** One posted transfer between platform:external_funding and the wallet. */
export function operatorTransferInput(transfer: OperatorTransfer): PostedTransferInput {
  const wallet = accountIds.user(transfer.endUserId);
  const [debit, credit] =
    transfer.direction === "credit"
      ? [PLATFORM_ACCOUNTS.externalFunding, wallet]
      : [wallet, PLATFORM_ACCOUNTS.externalFunding];
  return {
    kind: "posted",
    id: transfer.transferId,
    debitAccountId: debit,
    creditAccountId: credit,
    amount: transfer.amountUnits,
    code: transfer.code,
    ...(transfer.metadata ? { metadata: transfer.metadata } : {}),
  };
}

/**
 * Whether the transfer moved money now (`created`) or an earlier request with
 * the same key already had (`exists`). A wallet that does not exist is 404; the
 * key reused for another transfer is 409 `reusedKeyMessage`; any other refusal
 * is an invariant violation.
 */
export function operatorTransferApplied(result: CreateTransferResult, reusedKeyMessage: string): boolean {
  if (result.result === "account_not_found") throw new AppError("not_found", "No wallet with this id.");
  if (result.result === "exists_with_different_fields") throw new AppError("conflict", reusedKeyMessage);
  if (result.result !== "created" && result.result !== "exists") {
    throw new Error(`ledger refused the operator's transfer ${result.id}: ${result.result}`);
  }
  return result.result === "created";
}
