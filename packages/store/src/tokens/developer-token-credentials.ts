import type { Queryable } from "@modelfaucet/db";
import type { DeveloperTokenCredential, DeveloperTokenLookup } from "@modelfaucet/server-kit";

interface CredentialRow {
  id: string;
  developer_id: string;
  scopes: string[];
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
  developer_status: string;
}

const FIND_BY_HASH = `SELECT t.id, t.developer_id, t.scopes, t.expires_at, t.revoked_at, t.last_used_at, d.status AS developer_status
       FROM developer_tokens t JOIN developers d ON d.id = t.developer_id
       WHERE t.token_hash = $1`;

const MARK_USED = `UPDATE developer_tokens SET last_used_at = now()
         WHERE id = $1 AND (last_used_at IS NULL OR last_used_at <= now() - make_interval(secs => $2))`;

/**
 * Developer tokens for server-kit's developer authenticator (which the apps
 * give this): one indexed lookup per request, and a `last_used_at` write at
 * most once per interval.
 */
export const developerTokenLookup: DeveloperTokenLookup = {
  findByHash: findDeveloperTokenByHash,
  markUsed: markDeveloperTokenUsed,
};

/** The token whose SHA-256 is `tokenHash`, revoked and expired ones included; undefined when unknown. */
async function findDeveloperTokenByHash(
  q: Queryable,
  tokenHash: string,
): Promise<DeveloperTokenCredential | undefined> {
  const { rows } = await q.query<CredentialRow>(FIND_BY_HASH, [tokenHash]);
  const row = rows[0];
  return (
    row && {
      id: row.id,
      developerId: row.developer_id,
      scopes: row.scopes,
      expiresAt: row.expires_at,
      revokedAt: row.revoked_at,
      lastUsedAt: row.last_used_at,
      developerStatus: row.developer_status,
    }
  );
}

/**
 * Sets the token's `last_used_at` to now, unless it was set within the last
 * `intervalSeconds`: the condition keeps concurrent requests from writing twice.
 */
async function markDeveloperTokenUsed(q: Queryable, tokenId: string, intervalSeconds: number): Promise<void> {
  await q.query(MARK_USED, [tokenId, intervalSeconds]);
}
