import type { Queryable } from "@modelfaucet/db";
import type { AccountKind } from "./accounts.js";

export type BalanceColumn = "debits_posted" | "credits_posted" | "debits_pending" | "credits_pending";

const COLUMNS: readonly BalanceColumn[] = ["debits_posted", "credits_posted", "debits_pending", "credits_pending"];

/** An account column whose stored + deferred value differs from what its transfers add up to. */
export interface AccountMismatch {
  accountId: string;
  /** null when transfers or deltas name an account that does not exist. */
  kind: AccountKind | null;
  column: BalanceColumn;
  stored: bigint;
  deferred: bigint;
  /** Recomputed from the transfers. */
  expected: bigint;
}

/** A constrained account below zero counting pending debits, or any account with a negative column. */
export interface NegativeAccount {
  accountId: string;
  kind: AccountKind;
  /** creditsPosted − debitsPosted − debitsPending, stored + deferred. */
  available: bigint;
}

export interface PendingProblem {
  pendingId: string;
  problem:
    | "resolved_more_than_once"
    /** Resolves a transfer that is not pending, posts more than held, releases another amount, or names other accounts. */
    | "resolution_mismatch"
    /** Pending, unresolved, and not in ledger_open_holds: the sweeper would never release it. */
    | "missing_open_hold"
    /** In ledger_open_holds but resolved, or not a pending transfer. */
    | "stale_open_hold";
}

export interface ReconcileReport {
  ok: boolean;
  accounts: number;
  transfers: number;
  /** At most 100 of each list; `ok` is false if any list is non-empty. */
  mismatches: AccountMismatch[];
  negative: NegativeAccount[];
  pendingProblems: PendingProblem[];
  /** Σ over all accounts of stored + deferred. Debits equal credits, posted and pending apart. */
  totals: { debitsPosted: bigint; creditsPosted: bigint; debitsPending: bigint; creditsPending: bigint };
}

const REPORT_LIMIT = 100;

type Amounts = Record<BalanceColumn, string>;
interface AccountCheckRow {
  accounts: string;
  transfers: string;
  totals: Amounts;
  mismatches: { id: string; kind: AccountKind | null; stored: Amounts; deferred: Amounts; expected: Amounts }[];
  negative: { id: string; kind: AccountKind; available: string }[];
}

// What each transfer adds to each column of its two accounts (mirrors balance-delta.ts).
const EFFECTS = `
  SELECT t.debit_account_id AS account_id,
         CASE WHEN t.kind IN ('posted', 'post_pending') THEN t.amount ELSE 0 END AS debits_posted,
         0 AS credits_posted,
         CASE t.kind WHEN 'posted' THEN 0 WHEN 'pending' THEN t.amount ELSE -p.amount END AS debits_pending,
         0 AS credits_pending
  FROM ledger_transfers t LEFT JOIN ledger_transfers p ON p.id = t.pending_id
  UNION ALL
  SELECT t.credit_account_id, 0,
         CASE WHEN t.kind IN ('posted', 'post_pending') THEN t.amount ELSE 0 END,
         0,
         CASE t.kind WHEN 'posted' THEN 0 WHEN 'pending' THEN t.amount ELSE -p.amount END
  FROM ledger_transfers t LEFT JOIN ledger_transfers p ON p.id = t.pending_id`;

const SUMS = COLUMNS.map((c) => `sum(${c}) AS ${c}`).join(", ");
const amountsJson = (prefix: string) =>
  `jsonb_build_object(${COLUMNS.map((c) => `'${c}', ${prefix}${c}::text`).join(", ")})`;

/**
 * Recomputes every account from the transfers and checks the ledger's
 * invariants: stored + deferred = recomputed for every column of every
 * account; Σ debits = Σ credits (posted, and pending); no constrained account
 * below zero counting pending debits; every pending transfer resolved at most
 * once, by a matching transfer, and open exactly while unresolved. Each of
 * its two queries compares only what it read itself, in one snapshot, so it
 * needs no transaction and never reports a false mismatch while money moves.
 * A full scan: a worker job, not a request path.
 */
export async function reconcile(q: Queryable): Promise<ReconcileReport> {
  const accountCheck = await checkAccounts(q);
  const pendingProblems = await checkPending(q);
  const totals = {
    debitsPosted: BigInt(accountCheck.totals.debits_posted),
    creditsPosted: BigInt(accountCheck.totals.credits_posted),
    debitsPending: BigInt(accountCheck.totals.debits_pending),
    creditsPending: BigInt(accountCheck.totals.credits_pending),
  };
  const mismatches = accountCheck.mismatches.flatMap((row) =>
    COLUMNS.filter((c) => BigInt(row.stored[c]) + BigInt(row.deferred[c]) !== BigInt(row.expected[c])).map(
      (column): AccountMismatch => ({
        accountId: row.id,
        kind: row.kind,
        column,
        stored: BigInt(row.stored[column]),
        deferred: BigInt(row.deferred[column]),
        expected: BigInt(row.expected[column]),
      }),
    ),
  );
  const negative = accountCheck.negative.map((row) => ({
    accountId: row.id,
    kind: row.kind,
    available: BigInt(row.available),
  }));
  const balanced = totals.debitsPosted === totals.creditsPosted && totals.debitsPending === totals.creditsPending;
  return {
    ok: balanced && mismatches.length === 0 && negative.length === 0 && pendingProblems.length === 0,
    accounts: Number(accountCheck.accounts),
    transfers: Number(accountCheck.transfers),
    mismatches,
    negative,
    pendingProblems,
    totals,
  };
}

async function checkAccounts(q: Queryable): Promise<AccountCheckRow> {
  const { rows } = await q.query<AccountCheckRow>(
    `WITH expected AS (
       SELECT account_id, ${SUMS} FROM (${EFFECTS}) e GROUP BY account_id
     ), deferred AS (
       SELECT account_id, ${SUMS} FROM ledger_balance_deltas GROUP BY account_id
     ), joined AS (
       SELECT coalesce(a.id, e.account_id, d.account_id) AS id, a.kind,
              ${COLUMNS.map((c) => `coalesce(a.${c}, 0) AS s_${c}, coalesce(d.${c}, 0) AS d_${c}, coalesce(e.${c}, 0) AS e_${c}`).join(",\n              ")}
       FROM ledger_accounts a
       FULL JOIN expected e ON e.account_id = a.id
       FULL JOIN deferred d ON d.account_id = coalesce(a.id, e.account_id)
     ), exact AS (
       SELECT joined.*, ${COLUMNS.map((c) => `s_${c} + d_${c} AS x_${c}`).join(", ")} FROM joined
     )
     SELECT
       (SELECT count(*) FROM ledger_accounts)::text AS accounts,
       (SELECT count(*) FROM ledger_transfers)::text AS transfers,
       (SELECT jsonb_build_object(${COLUMNS.map((c) => `'${c}', coalesce(sum(x_${c}), 0)::text`).join(", ")}) FROM exact) AS totals,
       (SELECT coalesce(jsonb_agg(jsonb_build_object('id', m.id, 'kind', m.kind,
                'stored', ${amountsJson("m.s_")}, 'deferred', ${amountsJson("m.d_")}, 'expected', ${amountsJson("m.e_")})), '[]'::jsonb)
        FROM (SELECT * FROM exact
              WHERE kind IS NULL OR ${COLUMNS.map((c) => `x_${c} <> e_${c}`).join(" OR ")}
              ORDER BY id LIMIT ${REPORT_LIMIT}) m) AS mismatches,
       (SELECT coalesce(jsonb_agg(jsonb_build_object('id', n.id, 'kind', n.kind,
                'available', (n.x_credits_posted - n.x_debits_posted - n.x_debits_pending)::text)), '[]'::jsonb)
        FROM (SELECT * FROM exact
              WHERE kind IS NOT NULL
                AND ((kind IN ('end_user', 'developer') AND x_debits_posted + x_debits_pending > x_credits_posted)
                     OR (kind IN ('end_user', 'developer') AND s_debits_posted + s_debits_pending > s_credits_posted)
                     OR ${COLUMNS.map((c) => `x_${c} < 0`).join(" OR ")})
              ORDER BY id LIMIT ${REPORT_LIMIT}) n) AS negative`,
  );
  const row = rows[0];
  if (!row) throw new Error("ledger invariant: the reconcile query returns one row");
  return row;
}

async function checkPending(q: Queryable): Promise<PendingProblem[]> {
  const { rows } = await q.query<{ pending_id: string; problem: PendingProblem["problem"] }>(
    `(SELECT pending_id, 'resolved_more_than_once' AS problem FROM ledger_transfers
      WHERE pending_id IS NOT NULL GROUP BY pending_id HAVING count(*) > 1
      ORDER BY pending_id LIMIT ${REPORT_LIMIT})
     UNION ALL
     (SELECT r.pending_id, 'resolution_mismatch' FROM ledger_transfers r
      JOIN ledger_transfers p ON p.id = r.pending_id
      WHERE p.kind <> 'pending'
         OR r.debit_account_id <> p.debit_account_id OR r.credit_account_id <> p.credit_account_id
         OR (r.kind = 'post_pending' AND r.amount > p.amount)
         OR (r.kind <> 'post_pending' AND r.amount <> p.amount)
      ORDER BY r.pending_id LIMIT ${REPORT_LIMIT})
     UNION ALL
     (SELECT p.id, 'missing_open_hold' FROM ledger_transfers p
      WHERE p.kind = 'pending'
        AND NOT EXISTS (SELECT 1 FROM ledger_transfers r WHERE r.pending_id = p.id)
        AND NOT EXISTS (SELECT 1 FROM ledger_open_holds h WHERE h.pending_id = p.id)
      ORDER BY p.id LIMIT ${REPORT_LIMIT})
     UNION ALL
     (SELECT h.pending_id, 'stale_open_hold' FROM ledger_open_holds h
      JOIN ledger_transfers p ON p.id = h.pending_id
      WHERE p.kind <> 'pending' OR EXISTS (SELECT 1 FROM ledger_transfers r WHERE r.pending_id = h.pending_id)
      ORDER BY h.pending_id LIMIT ${REPORT_LIMIT})`,
  );
  return rows.map((row) => ({ pendingId: row.pending_id, problem: row.problem }));
}
