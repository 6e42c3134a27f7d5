import type { Queryable } from "@modelfaucet/db";
import { type AccountKind, idMatchesKind, isAccountKind } from "./accounts.js";

export interface EnsureAccountInput {
  /** `user:<endUserId>`, `developer:<developerId>` or a platform id (see accountIds, PLATFORM_ACCOUNTS). */
  id: string;
  kind: AccountKind;
  /** The end user or developer the account belongs to, for lookups from the other side. */
  ownerId?: string;
}

export type EnsureAccountResult =
  | { result: "created" | "exists" }
  /** An account with this id exists with another kind or owner; it was left as it is. */
  | { result: "exists_with_different_fields" }
  | { result: "invalid_id" | "invalid_owner_id" };

const OWNER_ID = /^[ -~]{1,128}$/;

/** Creates the account unless it exists. Idempotent and safe under concurrency (one INSERT … ON CONFLICT). */
export async function ensureAccount(q: Queryable, input: EnsureAccountInput): Promise<EnsureAccountResult> {
  if (!isAccountKind(input.kind) || !idMatchesKind(input.id, input.kind)) return { result: "invalid_id" };
  if (input.ownerId !== undefined && !OWNER_ID.test(input.ownerId)) return { result: "invalid_owner_id" };
  const ownerId = input.ownerId ?? null;
  const inserted = await q.query(
    "INSERT INTO ledger_accounts (id, kind, owner_id) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING",
    [input.id, input.kind, ownerId],
  );
  if (inserted.rowCount === 1) return { result: "created" };
  // A separate statement: under READ COMMITTED it sees a row that a concurrent
  // ensureAccount committed while this INSERT waited for it.
  const { rows } = await q.query<{ kind: AccountKind; owner_id: string | null }>(
    "SELECT kind, owner_id FROM ledger_accounts WHERE id = $1",
    [input.id],
  );
  const row = rows[0];
  if (!row) throw new Error(`ledger invariant: account ${input.id} neither inserted nor found`);
  return row.kind === input.kind && row.owner_id === ownerId
    ? { result: "exists" }
    : { result: "exists_with_different_fields" };
}
