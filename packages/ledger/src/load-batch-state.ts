import type { Queryable } from "@modelfaucet/db";
import { type AccountKind } from "./accounts.js";
import type { BatchState } from "./plan-batch.js";
import { rowToTransfer, TRANSFER_JSON, type Transfer, type TransferRow } from "./transfer.js";
import type { TransferInput } from "./transfer-input.js";

/**
 * One read, no locks: the transfers the batch names (its own ids, for
 * idempotency, and the pending transfers it resolves), the resolutions of those
 * pending transfers, and the kinds of every account involved. Nothing read here
 * is trusted for money: holds are claimed and overdrafts checked by the writes.
 */
export async function loadBatchState(q: Queryable, inputs: readonly TransferInput[]): Promise<BatchState> {
  const pendingIds = unique(inputs.flatMap((input) => ("pendingId" in input ? [input.pendingId] : [])));
  const transferIds = unique([...inputs.map((input) => input.id), ...pendingIds]);
  const accountIds = unique(
    inputs.flatMap((input) => ("debitAccountId" in input ? [input.debitAccountId, input.creditAccountId] : [])),
  );
  return loadState(q, transferIds, pendingIds, accountIds);
}

/** The pending transfers `pendingIds` with their accounts, for the sweeper. */
export function loadPendingState(q: Queryable, pendingIds: readonly string[]): Promise<BatchState> {
  return loadState(q, pendingIds, pendingIds, []);
}

async function loadState(
  q: Queryable,
  transferIds: readonly string[],
  pendingIds: readonly string[],
  accountIds: readonly string[],
): Promise<BatchState> {
  const { rows } = await q.query<{ transfers: TransferRow[]; accounts: { id: string; kind: AccountKind }[] }>(
    `WITH t AS (
       SELECT * FROM ledger_transfers
       WHERE id = ANY($1::text[]) OR pending_id = ANY($2::text[])
     )
     SELECT
       (SELECT coalesce(jsonb_agg(${TRANSFER_JSON}), '[]'::jsonb) FROM t) AS transfers,
       (SELECT coalesce(jsonb_agg(jsonb_build_object('id', a.id, 'kind', a.kind)), '[]'::jsonb)
          FROM ledger_accounts a
          WHERE a.id = ANY($3::text[])
             OR a.id IN (SELECT debit_account_id FROM t UNION SELECT credit_account_id FROM t)) AS accounts`,
    [transferIds, pendingIds, accountIds],
  );
  const row = rows[0];
  if (!row) throw new Error("ledger invariant: the state query returns one row");
  const wanted = new Set(transferIds);
  const resolving = new Set(pendingIds);
  const transfers = new Map<string, Transfer>();
  const resolutions = new Map<string, Transfer>();
  for (const transfer of row.transfers.map(rowToTransfer)) {
    if (wanted.has(transfer.id)) transfers.set(transfer.id, transfer);
    if (transfer.pendingId !== null && resolving.has(transfer.pendingId)) resolutions.set(transfer.pendingId, transfer);
  }
  return { transfers, resolutions, accounts: new Map(row.accounts.map((a) => [a.id, a.kind])) };
}

// Inputs are not validated yet: a malformed id must not break the query.
function unique(values: readonly unknown[]): string[] {
  return [...new Set(values.filter((value): value is string => typeof value === "string"))];
}
