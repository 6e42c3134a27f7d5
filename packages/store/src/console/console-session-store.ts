import type { ConsoleAuthority } from "@modelfaucet/contract";
import { newId } from "@modelfaucet/crypto";
import type { Queryable } from "@modelfaucet/db";
import type { ConsoleSessionCredential, ConsoleSessionLookup } from "@modelfaucet/server-kit";

export interface NewConsoleSession {
  /** SHA-256 hex of the cookie's token: the only form it is stored in. */
  tokenHash: string;
  authority: ConsoleAuthority;
  developerTokenId: string | null;
  credentialHash: string | null;
  expiresAt: Date;
}

/** Stores a console session (migration 0015); returns its id. */
export async function createConsoleSession(q: Queryable, session: NewConsoleSession): Promise<string> {
  const id = newId("cons");
  await q.query(
    `INSERT INTO console_sessions (id, token_hash, authority, developer_token_id, credential_hash, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [id, session.tokenHash, session.authority, session.developerTokenId, session.credentialHash, session.expiresAt],
  );
  return id;
}

/** Ends a session at once (sign-out); a second call changes nothing. */
export async function revokeConsoleSession(q: Queryable, id: string): Promise<void> {
  await q.query("UPDATE console_sessions SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL", [id]);
}

/** Deletes sessions that expired more than `graceSeconds` ago, at most `limit` of them; returns how many. */
export async function sweepExpiredConsoleSessions(q: Queryable, graceSeconds: number, limit: number): Promise<number> {
  const { rows } = await q.query<{ deleted: string }>(
    `WITH gone AS (
       DELETE FROM console_sessions WHERE id IN (
         SELECT id FROM console_sessions WHERE expires_at < now() - make_interval(secs => $1) LIMIT $2)
       RETURNING 1)
     SELECT count(*)::text AS deleted FROM gone`,
    [graceSeconds, limit],
  );
  return Number(rows[0]?.deleted ?? 0);
}

interface CredentialRow {
  id: string;
  authority: ConsoleAuthority;
  expires_at: Date;
  revoked_at: Date | null;
  credential_hash: string | null;
  token_id: string | null;
  developer_id: string | null;
  scopes: string[] | null;
  token_expires_at: Date | null;
  token_revoked_at: Date | null;
  token_last_used_at: Date | null;
  developer_status: string | null;
}

const FIND_BY_HASH = `SELECT s.id, s.authority, s.expires_at, s.revoked_at, s.credential_hash,
         t.id AS token_id, t.developer_id, t.scopes, t.expires_at AS token_expires_at,
         t.revoked_at AS token_revoked_at, t.last_used_at AS token_last_used_at, d.status AS developer_status
       FROM console_sessions s
       LEFT JOIN developer_tokens t ON t.id = s.developer_token_id
       LEFT JOIN developers d ON d.id = t.developer_id
       WHERE s.token_hash = $1`;

/**
 * The session whose token hashes to `tokenHash`, with the developer token it
 * was opened with as that token is now (one indexed lookup per request, so
 * revoking either ends the session at once).
 */
async function findConsoleSessionByHash(
  q: Queryable,
  tokenHash: string,
): Promise<ConsoleSessionCredential | undefined> {
  const { rows } = await q.query<CredentialRow>(FIND_BY_HASH, [tokenHash]);
  const row = rows[0];
  if (!row) return undefined;
  return {
    id: row.id,
    authority: row.authority,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    credentialHash: row.credential_hash,
    developerToken:
      row.token_id === null
        ? null
        : {
            id: row.token_id,
            developerId: row.developer_id!,
            scopes: row.scopes ?? [],
            expiresAt: row.token_expires_at,
            revokedAt: row.token_revoked_at,
            lastUsedAt: row.token_last_used_at,
            developerStatus: row.developer_status ?? "unknown",
          },
  };
}

/** Console sessions for server-kit's console session auth (which the API gives this). */
export const consoleSessionLookup: ConsoleSessionLookup = { findByHash: findConsoleSessionByHash };
