import { AppError } from "@modelfaucet/core";
import type { Queryable } from "@modelfaucet/db";
import { createdResults, exceedsCreditsResults, refusedResults } from "./batch-results.js";
import { inTransaction, isDatabase, isUniqueViolation } from "./in-transaction.js";
import { loadBatchState } from "./load-batch-state.js";
import { planBatch } from "./plan-batch.js";
import { LIMITS, type PostPendingInput, type TransferInput, type VoidPendingInput } from "./transfer-input.js";
import type { CreateTransferResult, PostPendingResult, VoidPendingResult } from "./transfer-result.js";
import {
  applyImmediate,
  claimOpenHolds,
  insertBatch,
  lockAccountsInOrder,
  restoreOpenHolds,
  revertImmediate,
} from "./write-batch.js";

export interface CreateTransfersOptions {
  /** The clock pending expiries are computed from and checked against; default the current time. */
  now?: Date;
}

/**
 * Creates a batch of transfers ALL OR NOTHING: if any is refused, none is
 * written, and each gets its own result (`linked_event_failed` for those
 * refused only because of another). Retrying a batch is safe: transfers that
 * exist with the same fields answer `exists` and move nothing again.
 *
 * `q` is the Database (a transaction is opened) or the caller's open
 * transaction (the batch then commits or rolls back with the caller's writes —
 * a settlement and its usage event, say). Statements: one read, then at most a
 * DELETE of claimed holds, one UPDATE of the constrained rows the batch
 * touches, and one multi-row INSERT. No lock is taken on a platform or
 * developer credit row.
 *
 * Throws AppError `conflict` (retryable) in one rare race: another transaction
 * committed a transfer with one of these ids after this batch read. Given the
 * Database, that is retried once here; given a transaction, the caller's
 * transaction is aborted and must be retried whole.
 */
export async function createTransfers(
  q: Queryable,
  inputs: readonly TransferInput[],
  options: CreateTransfersOptions = {},
): Promise<CreateTransferResult[]> {
  if (inputs.length > LIMITS.maxBatchSize) {
    throw new RangeError(`a batch holds at most ${LIMITS.maxBatchSize} transfers, got ${inputs.length}`);
  }
  if (inputs.length === 0) return [];
  const now = options.now ?? new Date();
  // Given the Database, a lost id race is retried in a new transaction, whose
  // read then sees the winner and answers `exists`.
  const attempts = isDatabase(q) ? 2 : 1;
  for (let attempt = 1; ; attempt++) {
    try {
      return await inTransaction(q, (tx) => writeTransfers(tx, inputs, now));
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      if (attempt === attempts) throw raceLost(error);
    }
  }
}

/**
 * Plans on a fresh read and writes. A write that loses a race is undone and
 * the batch planned again: the winner has committed by then (we waited for
 * its row lock), so the new read sees it. Each retry learns one new fact (a
 * hold taken, an id created), so there are at most as many as transfers.
 */
async function writeTransfers(tx: Queryable, inputs: readonly TransferInput[], now: Date) {
  const lostHolds = new Set<string>();
  for (let attempt = 0; attempt <= inputs.length; attempt++) {
    const plan = planBatch(inputs, await loadBatchState(tx, inputs), now);
    if (!plan.ok) return refusedResults(plan);

    const claimed = await claimOpenHolds(tx, plan.claims);
    if (claimed.length < plan.claims.length) {
      // A concurrent post/void/expire took a hold after our read.
      await restoreOpenHolds(tx, claimed);
      const taken = new Set(claimed.map((hold) => hold.pendingId));
      for (const pendingId of plan.claims.filter((id) => !taken.has(id))) {
        // Lost twice: no resolution became visible, so the row is simply missing.
        if (lostHolds.has(pendingId)) throw new Error(`ledger invariant: hold ${pendingId} has no open-hold row`);
        lostHolds.add(pendingId);
      }
      continue;
    }

    const immediate = plan.effects.immediate;
    await lockAccountsInOrder(tx, [...immediate.keys()]);
    const updated = await applyImmediate(tx, immediate);
    if (updated.size < immediate.size) {
      await revertImmediate(tx, immediate, updated);
      await restoreOpenHolds(tx, claimed);
      // The debit that used the credits may have been this very batch, sent
      // twice at once (a client retry): its first copy has committed while we
      // waited for the row, and the answer is then `exists`, not a refusal.
      if (await anyExists(tx, plan.records)) continue;
      const refused = [...immediate.keys()].filter((id) => !updated.has(id));
      return exceedsCreditsResults(plan, refused);
    }

    return createdResults(plan, await insertBatch(tx, plan.records, plan.holds, plan.effects.deferred));
  }
  throw raceLost(new Error("the batch kept losing races to concurrent writers"));
}

async function anyExists(tx: Queryable, records: readonly { id: string }[]): Promise<boolean> {
  const { rows } = await tx.query("SELECT 1 FROM ledger_transfers WHERE id = ANY($1::text[]) LIMIT 1", [
    records.map((record) => record.id),
  ]);
  return rows.length > 0;
}

/** Retryable: run the whole transaction again, and the ledger answers from what the winner wrote. */
function raceLost(cause: unknown): AppError {
  return new AppError("conflict", "a concurrent ledger write got there first; retry", {
    retryable: true,
    cause,
  });
}

/** One transfer; see createTransfers. */
export async function createTransfer(
  q: Queryable,
  input: TransferInput,
  options: CreateTransfersOptions = {},
): Promise<CreateTransferResult> {
  const [result] = await createTransfers(q, [input], options);
  if (!result) throw new Error("ledger invariant: one result per transfer");
  return result;
}

/** Posts `amount` (default: all) of a hold and releases the rest; `posted` on success. */
export async function postPending(
  q: Queryable,
  input: Omit<PostPendingInput, "kind">,
  options: CreateTransfersOptions = {},
): Promise<PostPendingResult> {
  const result = await createTransfer(q, { ...input, kind: "post_pending" }, options);
  return result.result === "created" ? { ...result, result: "posted" } : result;
}

/** Releases a whole hold; `voided` on success. */
export async function voidPending(
  q: Queryable,
  input: Omit<VoidPendingInput, "kind">,
  options: CreateTransfersOptions = {},
): Promise<VoidPendingResult> {
  const result = await createTransfer(q, { ...input, kind: "void_pending" }, options);
  return result.result === "created" ? { ...result, result: "voided" } : result;
}
