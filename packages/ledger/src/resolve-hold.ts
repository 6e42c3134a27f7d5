import type { Database } from "@modelfaucet/db";
import { createTransfers, type CreateTransfersOptions } from "./create-transfers.js";
import { isFastPathDeclined, isUniqueViolation } from "./in-transaction.js";
import { rowToTransfer, TRANSFER_COLUMNS, type TransferRow } from "./transfer.js";
import {
  LIMITS,
  type PostedTransferInput,
  type PostPendingInput,
  type TransferInput,
  type VoidPendingInput,
} from "./transfer-input.js";
import type { CreateTransferResult } from "./transfer-result.js";
import { validateTransfer } from "./validate-transfer.js";

/** One statement of the caller's, with its parameters `$1`…`$n`. */
export interface CompanionWrite {
  /** A single INSERT, UPDATE or DELETE (it runs as a data-modifying WITH query). */
  sql: string;
  params: readonly unknown[];
}

export interface ResolveHoldOptions extends CreateTransfersOptions {
  /**
   * A write that must commit with the transfers and only with them, e.g. the
   * usage event of a settlement: committed when every transfer is created or
   * exists, rolled back when any is refused. It may run twice (a declined
   * fast path is rolled back and the batch path runs it again), never commit twice.
   */
  companion?: CompanionWrite;
}

const ARGUMENTS = 14;

/**
 * Resolves a hold (post_pending or void_pending) together with posted
 * transfers, e.g. a settlement's split of usage clearing: the same results as
 * `createTransfers(db, [resolution, ...transfers])`, all or nothing, in ONE
 * statement and round trip in the common case — new ids, the hold open, every
 * posted transfer between accounts whose changes are deferred (platform
 * accounts, credits to developers). The database function
 * `ledger_resolve_hold` (migration 0005) claims the open hold, updates the
 * hold's debit row when it is constrained, and inserts the transfers and one
 * delta per account, as one implicit transaction together with the companion
 * write. Every other case is declined (the statement rolls back) and decided
 * by createTransfers, so refusals and `exists` answers are exactly the batch
 * path's.
 *
 * Takes the Database, not a transaction: a declined statement aborts, which
 * must not abort a caller's work.
 */
export async function resolveHold(
  db: Database,
  resolution: PostPendingInput | VoidPendingInput,
  transfers: readonly PostedTransferInput[],
  options: ResolveHoldOptions = {},
): Promise<CreateTransferResult[]> {
  const inputs: TransferInput[] = [resolution, ...transfers];
  if (fastPathApplies(resolution, transfers)) {
    try {
      const { rows } = await db.query<TransferRow>(...statement(resolution, transfers, options.companion));
      if (rows.length !== inputs.length)
        throw new Error("ledger invariant: every transfer of a resolution is inserted");
      return rows.map((row) => ({ id: row.id, result: "created", transfer: rowToTransfer(row) }));
    } catch (error) {
      if (!isFastPathDeclined(error) && !isUniqueViolation(error)) throw error;
    }
  }
  return resolveInBatch(db, inputs, options);
}

/** Only inputs that pass every check needing no database; the batch path answers the others. */
function fastPathApplies(
  resolution: PostPendingInput | VoidPendingInput,
  transfers: readonly PostedTransferInput[],
): boolean {
  if (resolution.kind !== "post_pending" && resolution.kind !== "void_pending") return false;
  if (transfers.length >= LIMITS.maxBatchSize) return false;
  if (transfers.some((transfer) => transfer.kind !== "posted")) return false;
  const ids = new Set([resolution.id, resolution.pendingId, ...transfers.map((transfer) => transfer.id)]);
  if (ids.size !== transfers.length + 2) return false;
  return [resolution, ...transfers].every((input) => validateTransfer(input) === null);
}

function statement(
  resolution: PostPendingInput | VoidPendingInput,
  transfers: readonly PostedTransferInput[],
  companion: CompanionWrite | undefined,
): [string, unknown[]] {
  const before = companion?.params ?? [];
  const placeholders = Array.from({ length: ARGUMENTS }, (_, i) => `$${before.length + i + 1}`).join(", ");
  const call = `SELECT ${TRANSFER_COLUMNS} FROM ledger_resolve_hold(${placeholders}) t`;
  const sql = companion ? `WITH companion AS (${companion.sql}) ${call}` : call;
  const amount = resolution.kind === "post_pending" ? resolution.amount : undefined;
  return [
    sql,
    [
      ...before,
      resolution.id,
      resolution.kind,
      resolution.pendingId,
      amount?.toString() ?? null,
      resolution.code ?? null,
      resolution.requestId ?? null,
      resolution.metadata === undefined ? null : JSON.stringify(resolution.metadata),
      transfers.map((transfer) => transfer.id),
      transfers.map((transfer) => transfer.debitAccountId),
      transfers.map((transfer) => transfer.creditAccountId),
      transfers.map((transfer) => transfer.amount.toString()),
      transfers.map((transfer) => transfer.code),
      transfers.map((transfer) => transfer.requestId ?? null),
      JSON.stringify(transfers.map((transfer) => transfer.metadata ?? null)),
    ],
  ];
}

const REFUSED = Symbol("refused");

/** The batch path, with the companion write in the same transaction. */
async function resolveInBatch(
  db: Database,
  inputs: readonly TransferInput[],
  options: ResolveHoldOptions,
): Promise<CreateTransferResult[]> {
  const { companion, ...batchOptions } = options;
  if (!companion) return createTransfers(db, inputs, batchOptions);
  let results: CreateTransferResult[] = [];
  try {
    await db.transaction(async (tx) => {
      await tx.query(companion.sql, companion.params);
      results = await createTransfers(tx, inputs, batchOptions);
      if (results.some((result) => result.result !== "created" && result.result !== "exists")) throw REFUSED;
    });
  } catch (error) {
    if (error !== REFUSED) throw error;
  }
  return results;
}
