// An operator's test credit, e.g. for a demo. Invariant, per idempotency key:
// Σ credited to the wallet = amount, once (without a key, once per call), and
// external_funding is debited the same amount.
import { formatUsd } from "@modelfaucet/core";
import { newId } from "@modelfaucet/crypto";
import type { Database } from "@modelfaucet/db";
import { createTransfer, TRANSFER_CODES } from "@modelfaucet/ledger";
import { appendAuditEntry, operatorActor } from "@modelfaucet/store";
import { operatorTransferApplied, operatorTransferId, operatorTransferInput } from "./operator-transfer.js";

export interface TestCreditInput {
  endUserId: string;
  /** Units, > 0. */
  amountUnits: bigint;
  idempotencyKey: string | undefined;
  requestId: string;
}

export interface TestCredit {
  transferId: string;
  /** False when an earlier request with the same key credited it. */
  credited: boolean;
}

/** Credits the wallet from external funding and, when it moved money now, records it in the audit log. */
export async function creditTestBalance(db: Database, input: TestCreditInput): Promise<TestCredit> {
  const transferId = operatorTransferId("test_credit", input.endUserId, input.idempotencyKey, () => newId("cr"));
  const result = await db.transaction(async (tx) => {
    const outcome = await createTransfer(
      tx,
      operatorTransferInput({
        transferId,
        endUserId: input.endUserId,
        direction: "credit",
        amountUnits: input.amountUnits,
        code: TRANSFER_CODES.testCredit,
      }),
    );
    if (outcome.result === "created") {
      await appendAuditEntry(tx, {
        ...operatorActor(input.requestId),
        developerId: null,
        action: "wallet.credit_test_balance",
        resourceType: "wallet",
        resourceId: input.endUserId,
        details: { amount_usd: formatUsd(input.amountUnits), transfer_id: transferId },
      });
    }
    return outcome;
  });
  const credited = operatorTransferApplied(result, "This idempotency key was already used with a different amount.");
  return { transferId, credited };
}
