import type { Queryable } from "@modelfaucet/db";
import type { AccountKind } from "./accounts.js";

/**
 * An account's exact totals, in units of 1e-8 USD: the stored row plus its
 * deferred changes not yet folded, read in one statement (one snapshot).
 */
export interface Balance {
  accountId: string;
  kind: AccountKind;
  debitsPosted: bigint;
  creditsPosted: bigint;
  debitsPending: bigint;
  creditsPending: bigint;
  /**
   * creditsPosted − debitsPosted, for every account (credit-normal). What the
   * platform owes an end user or a developer is positive; debit-normal
   * accounts (external_funding, receivable) read negative. Σ balance over all
   * accounts is 0.
   */
  balance: bigint;
  /** balance − debitsPending: what may still be debited. Never negative for end_user and developer accounts. */
  available: bigint;
}

export interface BalanceRow {
  id: string;
  kind: AccountKind;
  debits_posted: string;
  credits_posted: string;
  debits_pending: string;
  credits_pending: string;
}

/** The account's balance, or null when there is no such account. */
export async function getBalance(q: Queryable, accountId: string): Promise<Balance | null> {
  const { rows } = await q.query<BalanceRow>(
    `SELECT a.id, a.kind,
            (a.debits_posted + coalesce(d.debits_posted, 0))::text AS debits_posted,
            (a.credits_posted + coalesce(d.credits_posted, 0))::text AS credits_posted,
            (a.debits_pending + coalesce(d.debits_pending, 0))::text AS debits_pending,
            (a.credits_pending + coalesce(d.credits_pending, 0))::text AS credits_pending
     FROM ledger_accounts a
     LEFT JOIN LATERAL (
       SELECT sum(debits_posted) AS debits_posted, sum(credits_posted) AS credits_posted,
              sum(debits_pending) AS debits_pending, sum(credits_pending) AS credits_pending
       FROM ledger_balance_deltas WHERE account_id = a.id
     ) d ON true
     WHERE a.id = $1`,
    [accountId],
  );
  return rows[0] ? rowToBalance(rows[0]) : null;
}

export function rowToBalance(row: BalanceRow): Balance {
  const debitsPosted = BigInt(row.debits_posted);
  const creditsPosted = BigInt(row.credits_posted);
  const debitsPending = BigInt(row.debits_pending);
  const balance = creditsPosted - debitsPosted;
  return {
    accountId: row.id,
    kind: row.kind,
    debitsPosted,
    creditsPosted,
    debitsPending,
    creditsPending: BigInt(row.credits_pending),
    balance,
    available: balance - debitsPending,
  };
}
