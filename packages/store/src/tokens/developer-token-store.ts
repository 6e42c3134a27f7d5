import type { DeveloperScope } from "@modelfaucet/contract";
import { AppError } from "@modelfaucet/core";
import { hashToken, newId, newToken, TOKEN_PREFIX, tokenDisplayPrefix } from "@modelfaucet/crypto";
import type { Database, Queryable } from "@modelfaucet/db";
import { appendAuditEntry, type AuditActor } from "../audit/append-audit-entry.js";
import { developerExists } from "../developers/developer-store.js";
import type { Tenant } from "../tenant.js";

/**
 * `developer_tokens` as the console sees it: never the hash, never the token.
 * Every function filters by `tenant` in its SQL (null = the bootstrap token,
 * any developer), so another developer's tokens do not exist to the caller.
 */
export interface DeveloperTokenRecord {
  id: string;
  developerId: string;
  name: string;
  /** The token's first characters, for telling tokens apart. */
  prefix: string;
  scopes: DeveloperScope[];
  createdAt: Date;
  /** null only on rows from before every token expired. */
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

interface DeveloperTokenRow {
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

const toRecord = (row: DeveloperTokenRow): DeveloperTokenRecord => ({
  id: row.id,
  developerId: row.developer_id,
  name: row.name,
  prefix: row.token_prefix,
  scopes: row.scopes,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  revokedAt: row.revoked_at,
  lastUsedAt: row.last_used_at,
});

/** What a new token is made with. */
export interface NewDeveloperToken {
  developerId: string;
  name: string;
  scopes: readonly DeveloperScope[];
  /** Every new token expires; rows from before that rule may hold null (never). */
  expiresAt: Date;
}

/**
 * Makes a token for `token.developerId` and stores its SHA-256 and display
 * prefix, with its audit entry. 404 `not_found` for an unknown developer,
 * 409 `conflict` beyond MAX_ACTIVE_DEVELOPER_TOKENS. The token is in the
 * answer only.
 */
export async function createDeveloperToken(
  db: Database,
  token: NewDeveloperToken,
  actor: AuditActor,
): Promise<{ token: string; record: DeveloperTokenRecord }> {
  const secret = newToken(TOKEN_PREFIX.developer);
  const record = await db.transaction(async (tx) => {
    // The developer's row lock serializes its token creations, so the count below holds.
    if (!(await developerExists(tx, token.developerId, "lock"))) {
      throw new AppError("not_found", "Unknown developer_id.");
    }
    if ((await countActiveDeveloperTokens(tx, token.developerId)) >= MAX_ACTIVE_DEVELOPER_TOKENS) {
      throw new AppError("conflict", `At most ${MAX_ACTIVE_DEVELOPER_TOKENS} active tokens; revoke one first.`);
    }
    const { rows } = await tx.query<DeveloperTokenRow>(
      `INSERT INTO developer_tokens (id, developer_id, name, token_hash, token_prefix, scopes, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
      [
        newId("tok"),
        token.developerId,
        token.name,
        hashToken(secret),
        tokenDisplayPrefix(secret, TOKEN_PREFIX.developer),
        token.scopes,
        token.expiresAt,
      ],
    );
    const created = toRecord(rows[0]!);
    await appendAuditEntry(tx, {
      ...actor,
      developerId: created.developerId,
      action: "developer_token.create",
      resourceType: "developer_token",
      resourceId: created.id,
      details: { scopes: created.scopes, expires_at: created.expiresAt?.toISOString() ?? null },
    });
    return created;
  });
  return { token: secret, record };
}

async function countActiveDeveloperTokens(q: Queryable, developerId: string): Promise<number> {
  const { rows } = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM developer_tokens
     WHERE developer_id = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`,
    [developerId],
  );
  return rows[0]?.n ?? 0;
}

/** Newest first, revoked and expired included (they say when and why access stopped). */
export async function listDeveloperTokens(q: Queryable, tenant: Tenant): Promise<DeveloperTokenRecord[]> {
  const { rows } = await q.query<DeveloperTokenRow>(
    `SELECT ${COLUMNS} FROM developer_tokens WHERE ($1::text IS NULL OR developer_id = $1)
     ORDER BY created_at DESC, id DESC LIMIT ${MAX_LISTED_DEVELOPER_TOKENS}`,
    [tenant],
  );
  return rows.map(toRecord);
}

/** Revokes the tenant's unrevoked token, with its audit entry; 404 `not_found` when it has none with this id. */
export async function revokeDeveloperToken(
  db: Database,
  tenant: Tenant,
  id: string,
  actor: AuditActor,
): Promise<DeveloperTokenRecord> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<DeveloperTokenRow>(
      `UPDATE developer_tokens SET revoked_at = now()
       WHERE id = $1 AND ($2::text IS NULL OR developer_id = $2) AND revoked_at IS NULL
       RETURNING ${COLUMNS}`,
      [id, tenant],
    );
    if (!rows[0]) throw new AppError("not_found", "No active developer token with this id.");
    const revoked = toRecord(rows[0]);
    await appendAuditEntry(tx, {
      ...actor,
      developerId: revoked.developerId,
      action: "developer_token.revoke",
      resourceType: "developer_token",
      resourceId: id,
    });
    return revoked;
  });
}
