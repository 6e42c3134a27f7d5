import type { Queryable } from "@modelfaucet/db";
import type { DeveloperScope } from "@modelfaucet/server-kit";
import type { Tenant } from "./app-store.js";

/**
 * `developer_tokens` as the console sees it: never the hash, never the token.
 * Every function filters by `tenant` in its SQL (null = the bootstrap token,
 * any developer), so another developer's tokens do not exist to the caller.
 */
export interface DeveloperTokenRow {
  id: string;
  developer_id: string;
  name: string;
  token_prefix: string;
  scopes: DeveloperScope[];
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

/** Most unrevoked tokens one developer may hold. */
export const MAX_ACTIVE_DEVELOPER_TOKENS = 100;
/** Most tokens one listing returns. */
export const MAX_LISTED_DEVELOPER_TOKENS = 500;

const COLUMNS = "id, developer_id, name, token_prefix, scopes, created_at, expires_at, revoked_at, last_used_at";

export async function countActiveDeveloperTokens(q: Queryable, developerId: string): Promise<number> {
  const { rows } = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM developer_tokens
     WHERE developer_id = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`,
    [developerId],
  );
  return rows[0]?.n ?? 0;
}

export async function insertDeveloperToken(
  q: Queryable,
  token: {
    id: string;
    developerId: string;
    name: string;
    hash: string;
    prefix: string;
    scopes: readonly DeveloperScope[];
    /** Every new token expires; rows from before that rule may hold null (never). */
    expiresAt: Date;
  },
): Promise<DeveloperTokenRow> {
  const { rows } = await q.query<DeveloperTokenRow>(
    `INSERT INTO developer_tokens (id, developer_id, name, token_hash, token_prefix, scopes, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
    [token.id, token.developerId, token.name, token.hash, token.prefix, token.scopes, token.expiresAt],
  );
  return rows[0]!;
}

/** Newest first, revoked and expired included (they say when and why access stopped). */
export async function listDeveloperTokens(q: Queryable, tenant: Tenant): Promise<DeveloperTokenRow[]> {
  const { rows } = await q.query<DeveloperTokenRow>(
    `SELECT ${COLUMNS} FROM developer_tokens WHERE ($1::text IS NULL OR developer_id = $1)
     ORDER BY created_at DESC, id DESC LIMIT ${MAX_LISTED_DEVELOPER_TOKENS}`,
    [tenant],
  );
  return rows;
}

/** Revokes the tenant's unrevoked token; undefined when it has none with this id. */
export async function revokeDeveloperToken(
  q: Queryable,
  tenant: Tenant,
  id: string,
): Promise<DeveloperTokenRow | undefined> {
  const { rows } = await q.query<DeveloperTokenRow>(
    `UPDATE developer_tokens SET revoked_at = now()
     WHERE id = $1 AND ($2::text IS NULL OR developer_id = $2) AND revoked_at IS NULL
     RETURNING ${COLUMNS}`,
    [id, tenant],
  );
  return rows[0];
}
