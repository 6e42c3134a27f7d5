import type { Queryable } from "@modelfaucet/db";
import { rowToTransfer, TRANSFER_COLUMNS, type Transfer, type TransferRow } from "./transfer.js";

export interface ListTransfersOptions {
  /** Page size, 1–500. */
  limit: number;
  /** Id of the last transfer of the previous page: this page starts just before it. */
  before?: string;
}

const MAX_PAGE = 500;

/**
 * An account's transfers, newest first (wallet history), on either side.
 * Pages by `before`; a `before` that names no transfer yields an empty page.
 */
export async function listTransfers(
  q: Queryable,
  accountId: string,
  options: ListTransfersOptions,
): Promise<Transfer[]> {
  const { limit, before } = options;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
    throw new RangeError(`limit must be an integer in 1..${MAX_PAGE}, got ${limit}`);
  }
  // Two index range scans (debit side, credit side) merged, rather than one OR
  // that would read every transfer of a busy account.
  const { rows } = await q.query<TransferRow>(
    `WITH cursor AS (
       SELECT CASE WHEN $3::text IS NULL THEN 9223372036854775807
                   ELSE (SELECT seq FROM ledger_transfers WHERE id = $3::text) END AS seq
     )
     SELECT ${TRANSFER_COLUMNS} FROM (
       (SELECT * FROM ledger_transfers
        WHERE debit_account_id = $1 AND seq < (SELECT seq FROM cursor) ORDER BY seq DESC LIMIT $2)
       UNION ALL
       (SELECT * FROM ledger_transfers
        WHERE credit_account_id = $1 AND seq < (SELECT seq FROM cursor) ORDER BY seq DESC LIMIT $2)
     ) t
     ORDER BY t.seq DESC
     LIMIT $2`,
    [accountId, limit, before ?? null],
  );
  return rows.map(rowToTransfer);
}
