import type { Queryable } from "@modelfaucet/db";
import { BatchEffects } from "./balance-delta.js";
import { inTransaction } from "./in-transaction.js";
import { loadPendingState } from "./load-batch-state.js";
import type { TransferRecord } from "./transfer.js";
import { EXPIRE_ID_PREFIX } from "./transfer-input.js";
import { applyImmediate, insertBatch, lockAccountsInOrder } from "./write-batch.js";

export interface ExpireOptions {
  /** Holds whose expiry is at or before this instant are released. */
  now: Date;
  /** Most holds released by this call, 1–10000. */
  limit: number;
}

export interface ExpireResult {
  /** The pending transfers released, each now resolved by an `expire:<pendingId>` transfer. */
  pendingIds: string[];
}

const MAX_EXPIRE_LIMIT = 10_000;

/**
 * The sweeper: releases holds past their expiry, oldest first. Safe with any
 * number of sweepers and of concurrent posts/voids: each hold is claimed by
 * deleting its open-hold row under FOR UPDATE SKIP LOCKED, so sweepers split
 * the work instead of queueing, and a hold being posted right now is skipped
 * (or, if the sweeper got it first, the post answers `already_expired`).
 * Atomic: opens a transaction when given the Database.
 */
export function expirePendingTransfers(q: Queryable, options: ExpireOptions): Promise<ExpireResult> {
  const { now, limit } = options;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_EXPIRE_LIMIT) {
    throw new RangeError(`limit must be an integer in 1..${MAX_EXPIRE_LIMIT}, got ${limit}`);
  }
  return inTransaction(q, async (tx) => {
    const { rows } = await tx.query<{ pending_id: string }>(
      `DELETE FROM ledger_open_holds
       WHERE pending_id IN (
         SELECT pending_id FROM ledger_open_holds
         WHERE expires_at <= $1
         ORDER BY expires_at
         LIMIT $2
         FOR UPDATE SKIP LOCKED)
       RETURNING pending_id`,
      [now.toISOString(), limit],
    );
    const pendingIds = rows.map((row) => row.pending_id).sort();
    if (pendingIds.length === 0) return { pendingIds };

    const state = await loadPendingState(tx, pendingIds);
    const effects = new BatchEffects();
    const records = pendingIds.map((pendingId): TransferRecord => {
      const pending = state.transfers.get(pendingId);
      if (!pending || pending.kind !== "pending" || state.resolutions.has(pendingId)) {
        throw new Error(`ledger invariant: open hold ${pendingId} is not an unresolved pending transfer`);
      }
      const record: TransferRecord = {
        id: `${EXPIRE_ID_PREFIX}${pendingId}`,
        kind: "expire_pending",
        debitAccountId: pending.debitAccountId,
        creditAccountId: pending.creditAccountId,
        amount: pending.amount,
        pendingId,
        code: pending.code,
        requestId: pending.requestId,
        metadata: null,
        timeoutSeconds: null,
        expiresAt: null,
      };
      effects.addTransfer(record, pending.amount, state.accounts);
      return record;
    });
    effects.compact();

    await lockAccountsInOrder(tx, [...effects.immediate.keys()]);
    const updated = await applyImmediate(tx, effects.immediate);
    // Releasing a hold only lowers debits, so the overdraft check cannot refuse it.
    if (updated.size !== effects.immediate.size) throw new Error("ledger invariant: releasing holds was refused");
    await insertBatch(tx, records, new Map(), effects.deferred);
    return { pendingIds };
  });
}
