import type { Queryable } from "@modelfaucet/db";
import { type BalanceDelta, deltasToJson, negateDelta } from "./balance-delta.js";
import { recordToJson, type Transfer, type TransferRecord } from "./transfer.js";

/** An open-hold row taken out of ledger_open_holds, kept to put back if the batch is undone. */
export interface ClaimedHold {
  pendingId: string;
  expiresAt: Date;
}

/**
 * Claims the holds a batch resolves by deleting their open-hold rows. Two
 * resolvers of one hold: the second waits for the first and then deletes
 * nothing, so a hold is resolved at most once (the unique index on
 * ledger_transfers.pending_id is the backstop).
 */
export async function claimOpenHolds(q: Queryable, pendingIds: readonly string[]): Promise<ClaimedHold[]> {
  if (pendingIds.length === 0) return [];
  const { rows } = await q.query<{ pending_id: string; expires_at: Date }>(
    "DELETE FROM ledger_open_holds WHERE pending_id = ANY($1::text[]) RETURNING pending_id, expires_at",
    [pendingIds],
  );
  return rows.map((row) => ({ pendingId: row.pending_id, expiresAt: new Date(row.expires_at) }));
}

/** Undoes claimOpenHolds inside the same transaction. */
export async function restoreOpenHolds(q: Queryable, holds: readonly ClaimedHold[]): Promise<void> {
  if (holds.length === 0) return;
  await q.query(
    `INSERT INTO ledger_open_holds (pending_id, expires_at)
     SELECT pending_id, expires_at FROM jsonb_to_recordset($1::jsonb) AS h(pending_id text, expires_at timestamptz)`,
    [JSON.stringify(holds.map((h) => ({ pending_id: h.pendingId, expires_at: h.expiresAt.toISOString() })))],
  );
}

/**
 * Locks account rows in id order. Only needed when one transaction updates
 * several account rows (the sweeper, a batch touching two users): taking the
 * locks in one global order means two such transactions can never deadlock.
 */
export async function lockAccountsInOrder(q: Queryable, accountIds: readonly string[]): Promise<void> {
  if (accountIds.length < 2) return;
  await q.query("SELECT 1 FROM ledger_accounts WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE", [accountIds]);
}

/**
 * Adds `deltas` to the account rows in one statement, refusing — per row —
 * any change that would leave a constrained account with debits (posted +
 * pending) above its stored posted credits. The check and the write are one
 * atomic row update, so no interleaving of transactions can overdraw an
 * account. Returns the ids of the rows that were updated; the others refused.
 */
export async function applyImmediate(q: Queryable, deltas: ReadonlyMap<string, BalanceDelta>): Promise<Set<string>> {
  if (deltas.size === 0) return new Set();
  const { rows } = await q.query<{ id: string }>(
    `UPDATE ledger_accounts a SET
       debits_posted = a.debits_posted + d.debits_posted,
       credits_posted = a.credits_posted + d.credits_posted,
       debits_pending = a.debits_pending + d.debits_pending,
       credits_pending = a.credits_pending + d.credits_pending
     FROM jsonb_to_recordset($1::jsonb) AS d(account_id text, debits_posted numeric, credits_posted numeric,
                                             debits_pending numeric, credits_pending numeric)
     WHERE a.id = d.account_id
       AND (a.kind NOT IN ('end_user', 'developer')
            OR a.debits_posted + a.debits_pending + d.debits_posted + d.debits_pending <= a.credits_posted)
     RETURNING a.id`,
    [deltasToJson(deltas)],
  );
  return new Set(rows.map((row) => row.id));
}

/** Undoes applyImmediate for `accountIds` inside the same transaction (their rows are still locked by it). */
export async function revertImmediate(
  q: Queryable,
  deltas: ReadonlyMap<string, BalanceDelta>,
  accountIds: ReadonlySet<string>,
): Promise<void> {
  const reverse = new Map([...deltas].filter(([id]) => accountIds.has(id)).map(([id, d]) => [id, negateDelta(d)]));
  if (reverse.size === 0) return;
  const { rowCount } = await q.query(
    `UPDATE ledger_accounts a SET
       debits_posted = a.debits_posted + d.debits_posted,
       credits_posted = a.credits_posted + d.credits_posted,
       debits_pending = a.debits_pending + d.debits_pending,
       credits_pending = a.credits_pending + d.credits_pending
     FROM jsonb_to_recordset($1::jsonb) AS d(account_id text, debits_posted numeric, credits_posted numeric,
                                             debits_pending numeric, credits_pending numeric)
     WHERE a.id = d.account_id`,
    [deltasToJson(reverse)],
  );
  if (rowCount !== reverse.size) throw new Error("ledger invariant: a revert must find every row it undoes");
}

/**
 * The batch's records, the holds it opens and its deferred balance changes,
 * in one multi-row statement. Returns what the database assigned to each
 * transfer. A concurrent transaction that committed one of these ids first
 * makes this fail with a unique violation (see create-transfers.ts).
 */
export async function insertBatch(
  q: Queryable,
  records: readonly TransferRecord[],
  holds: ReadonlyMap<string, Date>,
  deferred: ReadonlyMap<string, BalanceDelta>,
): Promise<Map<string, Pick<Transfer, "seq" | "createdAt">>> {
  const { rows } = await q.query<{ id: string; seq: string; created_at: Date }>(
    `WITH inserted AS (
       INSERT INTO ledger_transfers (id, kind, debit_account_id, credit_account_id, amount, pending_id, code,
                                     request_id, metadata, timeout_seconds, expires_at)
       SELECT id, kind, debit_account_id, credit_account_id, amount, pending_id, code,
              request_id, metadata, timeout_seconds, expires_at
       FROM jsonb_to_recordset($1::jsonb)
         AS r(id text, kind text, debit_account_id text, credit_account_id text, amount numeric, pending_id text,
              code text, request_id text, metadata jsonb, timeout_seconds integer, expires_at timestamptz, ord integer)
       ORDER BY ord
       RETURNING id, seq, created_at
     ), opened AS (
       INSERT INTO ledger_open_holds (pending_id, expires_at)
       SELECT pending_id, expires_at FROM jsonb_to_recordset($2::jsonb) AS h(pending_id text, expires_at timestamptz)
     ), deferred AS (
       INSERT INTO ledger_balance_deltas (account_id, debits_posted, credits_posted, debits_pending, credits_pending)
       SELECT account_id, debits_posted, credits_posted, debits_pending, credits_pending
       FROM jsonb_to_recordset($3::jsonb) AS d(account_id text, debits_posted numeric, credits_posted numeric,
                                               debits_pending numeric, credits_pending numeric)
     )
     SELECT id, seq::text AS seq, created_at FROM inserted`,
    [
      // `ord` keeps the batch order in `seq`, so history lists a settlement as it was written.
      JSON.stringify(records.map((record, ord) => ({ ...recordToJson(record), ord }))),
      JSON.stringify(
        [...holds].map(([pendingId, expiresAt]) => ({ pending_id: pendingId, expires_at: expiresAt.toISOString() })),
      ),
      deltasToJson(deferred),
    ],
  );
  if (rows.length !== records.length) throw new Error("ledger invariant: every record of a batch is inserted");
  return new Map(rows.map((row) => [row.id, { seq: BigInt(row.seq), createdAt: new Date(row.created_at) }]));
}
