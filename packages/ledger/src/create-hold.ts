import type { Database } from "@modelfaucet/db";
import { createTransfer, type CreateTransfersOptions } from "./create-transfers.js";
import { isUniqueViolation } from "./in-transaction.js";
import { recordFor } from "./plan-batch.js";
import { rowToTransfer, TRANSFER_COLUMNS, type TransferRecord, type TransferRow } from "./transfer.js";
import type { PendingTransferInput } from "./transfer-input.js";
import type { CreateTransferResult } from "./transfer-result.js";
import { expiryRefusal, validateTransfer } from "./validate-transfer.js";

const CREATE_HOLD = `SELECT ${TRANSFER_COLUMNS}
  FROM ledger_create_hold($1, $2, $3, $4, $5, $6, $7, $8, $9) t`;

/**
 * Creates one pending transfer (a hold): the same result as
 * `createTransfer(db, input)`, in ONE statement and round trip in the common
 * case — a new id, both accounts present, a constrained or platform debit,
 * credits available, a credit not to an end user. The database function
 * `ledger_create_hold` (migration 0005) checks and debits under the account
 * row, inserts the transfer, its open hold and the deferred credit, as one
 * implicit transaction. Every other case (a retry of an existing id, an
 * overdraft, a missing account, an invalid input) is declined by the function
 * without writing and decided by createTransfers, so refusals and `exists`
 * answers are exactly the batch path's.
 *
 * Takes the Database, not a transaction: a unique violation (a retry racing
 * its first copy) aborts the statement, which must not abort a caller's work.
 */
export async function createHold(
  db: Database,
  input: PendingTransferInput,
  options: CreateTransfersOptions = {},
): Promise<CreateTransferResult> {
  const now = options.now ?? new Date();
  const record = fastRecord(input, now);
  if (record) {
    try {
      const { rows } = await db.query<TransferRow>(CREATE_HOLD, [
        record.id,
        record.debitAccountId,
        record.creditAccountId,
        record.amount.toString(),
        record.code,
        record.requestId,
        record.metadata === null ? null : JSON.stringify(record.metadata),
        record.timeoutSeconds,
        record.expiresAt,
      ]);
      const row = rows[0];
      if (row) return { id: record.id, result: "created", transfer: rowToTransfer(row) };
    } catch (error) {
      // The id exists, or a concurrent copy of this hold committed it first.
      if (!isUniqueViolation(error)) throw error;
    }
  }
  return createTransfer(db, input, { now });
}

/** The record to insert when the input passes every check that needs no database; else null. */
function fastRecord(input: PendingTransferInput, now: Date): (TransferRecord & { expiresAt: Date }) | null {
  if (input.kind !== "pending" || validateTransfer(input) !== null) return null;
  const record = recordFor(input, undefined, now);
  if (!record?.expiresAt || expiryRefusal(record.expiresAt, now) !== null) return null;
  return { ...record, expiresAt: record.expiresAt };
}
