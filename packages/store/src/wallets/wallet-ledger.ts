import type { WalletEntry, WalletSummary } from "@modelfaucet/contract";
import { AppError, formatUsd } from "@modelfaucet/core";
import type { Queryable } from "@modelfaucet/db";
import { ACCOUNT_ID_PREFIXES, accountIds } from "@modelfaucet/ledger";
import { usageCursor } from "../usage/usage-views.js";

interface WalletRow {
  id: string;
  app_id: string;
  credits_posted: string | null;
  debits_posted: string | null;
  debits_pending: string | null;
  created_at: Date;
  created_at_text: string;
}

/** A wallet's columns, its ledger account joined on `$<prefixParam>` (the user account id prefix). */
const walletSelect = (prefixParam: number) =>
  `SELECT u.id, u.app_id, a.credits_posted::text, a.debits_posted::text, a.debits_pending::text,
          u.created_at, u.created_at::text AS created_at_text
   FROM end_users u LEFT JOIN ledger_accounts a ON a.id = $${prefixParam}::text || u.id`;

/**
 * A user's account takes no deferred balance changes (its credits and debits
 * are written to the row at once, see @modelfaucet/ledger), so the row alone
 * is its balance; a user who was never credited has none yet and shows zeros.
 */
function summaryOf(row: WalletRow): WalletSummary {
  const balance = BigInt(row.credits_posted ?? 0) - BigInt(row.debits_posted ?? 0);
  const held = BigInt(row.debits_pending ?? 0);
  return {
    wallet_id: row.id,
    app_id: row.app_id,
    balance_usd: formatUsd(balance),
    held_usd: formatUsd(held),
    available_usd: formatUsd(balance - held),
    created_at: row.created_at.toISOString(),
  };
}

/** End users' wallets, newest first (keyset on created_at, id), with their ledger balances. */
export async function listWallets(
  q: Queryable,
  page: { appId?: string | undefined; limit: number; cursor?: string | undefined },
): Promise<{ items: WalletSummary[]; next_cursor: string | null }> {
  const values: unknown[] = [ACCOUNT_ID_PREFIXES.user];
  const conditions: string[] = [];
  if (page.appId) conditions.push(`u.app_id = $${values.push(page.appId)}`);
  if (page.cursor) {
    const [at, id] = usageCursor.decode(page.cursor);
    conditions.push(`(u.created_at, u.id) < ($${values.push(at)}::timestamptz, $${values.push(id)})`);
  }
  const { rows } = await q.query<WalletRow>(
    `${walletSelect(1)}
     ${conditions.length > 0 ? `WHERE ${conditions.join(" AND ")}` : ""}
     ORDER BY u.created_at DESC, u.id DESC LIMIT $${values.push(page.limit + 1)}`,
    values,
  );
  const items = rows.slice(0, page.limit);
  const last = items.at(-1);
  return {
    items: items.map(summaryOf),
    next_cursor: rows.length > page.limit && last ? usageCursor.encode([last.created_at_text, last.id]) : null,
  };
}

/** One wallet with its ledger balances; 404 `not_found` for an unknown wallet. */
export async function walletSummary(q: Queryable, walletId: string): Promise<WalletSummary> {
  const { rows } = await q.query<WalletRow>(`${walletSelect(1)} WHERE u.id = $2`, [ACCOUNT_ID_PREFIXES.user, walletId]);
  const row = rows[0];
  if (!row) throw new AppError("not_found", "Unknown wallet.");
  return summaryOf(row);
}

interface EntryRow {
  id: string;
  seq: string;
  kind: string;
  code: string;
  debit_account_id: string;
  credit_account_id: string;
  amount: string;
  pending_id: string | null;
  request_id: string | null;
  created_at: Date;
}

/**
 * The transfers on one wallet's ledger account, newest first (keyset on the
 * transfer's seq; each side read through its own index). 404 `not_found`
 * for an unknown wallet.
 */
export async function walletEntries(
  q: Queryable,
  walletId: string,
  page: { limit: number; cursor?: string | undefined },
): Promise<{ items: WalletEntry[]; next_cursor: string | null }> {
  const known = await q.query("SELECT 1 FROM end_users WHERE id = $1", [walletId]);
  if (known.rows.length === 0) throw new AppError("not_found", "Unknown wallet.");
  if (page.cursor !== undefined && !/^[0-9]{1,18}$/.test(page.cursor)) {
    throw new AppError("invalid_request", "cursor: not a cursor returned by this endpoint.");
  }
  const account = accountIds.user(walletId);
  const before = page.cursor ?? "9223372036854775807";
  const side = (column: string) =>
    `(SELECT id, seq::text, kind, code, debit_account_id, credit_account_id, amount::text, pending_id, request_id,
             created_at
      FROM ledger_transfers WHERE ${column} = $1 AND seq < $2::bigint ORDER BY seq DESC LIMIT $3)`;
  const { rows } = await q.query<EntryRow>(
    `${side("debit_account_id")} UNION ALL ${side("credit_account_id")} ORDER BY seq DESC LIMIT $3`,
    [account, before, page.limit + 1],
  );
  const items = rows.slice(0, page.limit);
  return {
    items: items.map((row) => {
      const debit = row.debit_account_id === account;
      return {
        transfer_id: row.id,
        kind: row.kind,
        code: row.code,
        direction: debit ? "debit" : "credit",
        amount_usd: formatUsd(BigInt(row.amount)),
        counterparty: debit ? row.credit_account_id : row.debit_account_id,
        pending_id: row.pending_id,
        request_id: row.request_id,
        created_at: row.created_at.toISOString(),
      };
    }),
    next_cursor: rows.length > page.limit ? (items.at(-1)?.seq ?? null) : null,
  };
}
