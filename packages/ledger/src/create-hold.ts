import type { Database } from "@modelfaucet/db";
import { createTransfer, type CreateTransfersOptions } from "./create-transfers.js";
import { createFastPathQueue, FAST_PATH_BATCHING, type FastPathQueue } from "./fast-path-queue.js";
import { isUniqueViolation } from "./in-transaction.js";
import { recordFor } from "./plan-batch.js";
import { rowToTransfer, TRANSFER_COLUMNS, type TransferRecord, type TransferRow } from "./transfer.js";
import type { PendingTransferInput } from "./transfer-input.js";
import type { CreateTransferResult } from "./transfer-result.js";
import { expiryRefusal, validateTransfer } from "./validate-transfer.js";

/**
 * A hold's commit does not wait for its WAL flush (synchronous_commit off for
 * that one transaction): it moves no money, and the settlement that does
 * commits durably — PostgreSQL flushes WAL in order, so a durable settlement
 * implies a durable hold. A database crash can forget only holds of the last
 * moments, whose requests then cannot settle and charge nobody: the outcome a
 * crash between any hold and its settlement has anyway. It saves one disk
 * flush per request, a third of the Gateway's added latency.
 */
const RELAXED_COMMIT = "set_config('synchronous_commit', 'off', true)";
const CREATE_HOLD = `SELECT ${TRANSFER_COLUMNS}
  FROM ledger_create_hold($1, $2, $3, $4, $5, $6, $7, $8, $9) t, ${RELAXED_COMMIT}`;
const CREATE_HOLDS = `SELECT ${TRANSFER_COLUMNS}
  FROM ledger_create_holds($1, $2, $3, $4, $5, $6, $7, $8, $9) t, ${RELAXED_COMMIT}`;

type HoldRecord = TransferRecord & { expiresAt: Date };

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
 * answers are exactly the batch path's. Holds made concurrently on the same
 * Database share one statement and commit (see holdQueue).
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
  const row = record ? await holdQueue(db).submit(record) : null;
  if (row) return { id: row.id, result: "created", transfer: rowToTransfer(row) };
  return createTransfer(db, input, { now });
}

const queues = new WeakMap<Database, FastPathQueue<HoldRecord, TransferRow | null>>();

/**
 * Concurrent holds on one Database go together (migration 0012's
 * ledger_create_holds), one per debit account per batch; a hold alone takes
 * the one-item function. Either answers a row or null (declined: decided by
 * the general path).
 */
function holdQueue(db: Database): FastPathQueue<HoldRecord, TransferRow | null> {
  let queue = queues.get(db);
  if (!queue) {
    queue = createFastPathQueue({
      ...FAST_PATH_BATCHING,
      keysOf: (record) => [record.debitAccountId, record.id],
      runOne: (record) => createOneHold(db, record),
      runMany: (records) => createManyHolds(db, records),
    });
    queues.set(db, queue);
  }
  return queue;
}

async function createOneHold(db: Database, record: HoldRecord): Promise<TransferRow | null> {
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
    return rows[0] ?? null;
  } catch (error) {
    // The id exists, or a concurrent copy of this hold committed it first.
    if (isUniqueViolation(error)) return null;
    throw error;
  }
}

async function createManyHolds(db: Database, records: readonly HoldRecord[]): Promise<(TransferRow | null)[]> {
  const { rows } = await db.query<TransferRow>(CREATE_HOLDS, [
    records.map((record) => record.id),
    records.map((record) => record.debitAccountId),
    records.map((record) => record.creditAccountId),
    records.map((record) => record.amount.toString()),
    records.map((record) => record.code),
    records.map((record) => record.requestId),
    JSON.stringify(records.map((record) => record.metadata)),
    records.map((record) => record.timeoutSeconds),
    records.map((record) => record.expiresAt),
  ]);
  const created = new Map(rows.map((row) => [row.id, row]));
  return records.map((record) => created.get(record.id) ?? null);
}

/** The record to insert when the input passes every check that needs no database; else null. */
function fastRecord(input: PendingTransferInput, now: Date): HoldRecord | null {
  if (input.kind !== "pending" || validateTransfer(input) !== null) return null;
  const record = recordFor(input, undefined, now);
  if (!record?.expiresAt || expiryRefusal(record.expiresAt, now) !== null) return null;
  return { ...record, expiresAt: record.expiresAt };
}
