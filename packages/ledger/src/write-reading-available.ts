import type { Queryable } from "@modelfaucet/db";
import type { CompanionWrite } from "./resolve-hold.js";

/**
 * The caller's write and an account's available balance (balance − held,
 * units) in ONE statement and round trip — e.g. the usage event of a request
 * that held nothing, answered with the wallet as it stands. The write moves
 * no money, so reading beside it is exact. Null when there is no such account.
 */
export async function writeReadingAvailable(
  q: Queryable,
  companion: CompanionWrite,
  accountId: string,
): Promise<bigint | null> {
  const { rows } = await q.query<{ available: string | null }>(
    `WITH companion AS (${companion.sql}) SELECT ledger_account_available($${companion.params.length + 1})::text AS available`,
    [...companion.params, accountId],
  );
  const available = rows[0]?.available;
  return available === null || available === undefined ? null : BigInt(available);
}
