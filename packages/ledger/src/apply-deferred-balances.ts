import type { Queryable } from "@modelfaucet/db";
import { inTransaction } from "./in-transaction.js";

export interface ApplyDeferredOptions {
  /** Most delta rows folded by this call, 1–100000. */
  limit: number;
}

export interface ApplyDeferredResult {
  /** Delta rows folded into account rows (and deleted). */
  deltas: number;
  /** Account rows updated. */
  accounts: number;
  /** True when another worker was folding: this call did nothing. */
  busy: boolean;
}

const MAX_APPLY_LIMIT = 100_000;

// Any constant unique among the advisory locks taken on the database (the
// migration lock is 7_301_455_001).
const FOLD_LOCK_KEY = 7_301_455_002;

/**
 * Folds deferred balance changes into the account rows: deletes up to `limit`
 * of the oldest ledger_balance_deltas rows and adds their sums to the
 * accounts, in one statement of one transaction — a delta is counted in the
 * account row exactly when it is gone from the delta table, so no change is
 * lost or counted twice. One folder at a time (a transaction-scoped advisory
 * lock; a second caller returns `busy`): folding in `seq` order keeps each
 * stored column from ever dipping below zero on the way, and one UPDATE per
 * account per batch is the point — cheap enough that parallel folders would
 * buy nothing. Atomic: opens a transaction when given the Database.
 */
export function applyDeferredBalances(q: Queryable, options: ApplyDeferredOptions): Promise<ApplyDeferredResult> {
  const { limit } = options;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_APPLY_LIMIT) {
    throw new RangeError(`limit must be an integer in 1..${MAX_APPLY_LIMIT}, got ${limit}`);
  }
  return inTransaction(q, async (tx) => {
    const lock = await tx.query<{ locked: boolean }>("SELECT pg_try_advisory_xact_lock($1) AS locked", [FOLD_LOCK_KEY]);
    if (!lock.rows[0]?.locked) return { deltas: 0, accounts: 0, busy: true };
    const { rows } = await tx.query<{ deltas: string; accounts: string; updated: string }>(
      `WITH moved AS (
         DELETE FROM ledger_balance_deltas
         WHERE seq IN (SELECT seq FROM ledger_balance_deltas ORDER BY seq LIMIT $1)
         RETURNING account_id, debits_posted, credits_posted, debits_pending, credits_pending
       ), summed AS (
         SELECT account_id, sum(debits_posted) AS debits_posted, sum(credits_posted) AS credits_posted,
                sum(debits_pending) AS debits_pending, sum(credits_pending) AS credits_pending
         FROM moved GROUP BY account_id
       ), updated AS (
         UPDATE ledger_accounts a SET
           debits_posted = a.debits_posted + s.debits_posted,
           credits_posted = a.credits_posted + s.credits_posted,
           debits_pending = a.debits_pending + s.debits_pending,
           credits_pending = a.credits_pending + s.credits_pending
         FROM summed s WHERE a.id = s.account_id
         RETURNING a.id
       )
       SELECT (SELECT count(*) FROM moved) AS deltas, (SELECT count(*) FROM summed) AS accounts,
              (SELECT count(*) FROM updated) AS updated`,
      [limit],
    );
    const row = rows[0];
    if (!row) throw new Error("ledger invariant: the fold query returns one row");
    // A delta for an account that does not exist would vanish: abort instead.
    if (row.updated !== row.accounts) throw new Error("ledger invariant: a deferred delta names an unknown account");
    return { deltas: Number(row.deltas), accounts: Number(row.accounts), busy: false };
  });
}
