import { AppError, hashToken, TOKEN_PREFIX } from "@modelfaucet/core";
import type { Queryable } from "@modelfaucet/db";

/** Who is calling with a `mf_sess_…` token. */
export interface SessionContext {
  sessionId: string;
  appId: string;
  developerId: string;
  endUserId: string;
  /** The feature the session was minted for, if any. */
  featureKey: string | null;
  expiresAt: Date;
}

export interface SessionAuthOptions {
  /**
   * How long a looked-up session is trusted without asking the database. A
   * revoked session or archived app stops working within this time; expiry is
   * checked on every request regardless.
   */
  cacheTtlMs: number;
  /** Bound on cached sessions; the oldest entries are dropped first. */
  maxCachedSessions: number;
}

interface SessionRow {
  id: string;
  app_id: string;
  developer_id: string;
  end_user_id: string;
  feature_key: string | null;
  expires_at: Date;
}

const LOOKUP = `
  SELECT s.id, s.app_id, a.developer_id, s.end_user_id, s.feature_key, s.expires_at
  FROM sessions s JOIN apps a ON a.id = s.app_id
  WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND a.status = 'active'`;

/**
 * Resolves session tokens to their context, with a short in-process cache so
 * the Gateway's hot path does not query the database per request.
 */
export function createSessionAuthenticator(db: Queryable, options: SessionAuthOptions) {
  const cache = new Map<string, { context: SessionContext; cachedAt: number }>();

  async function lookup(tokenHash: string): Promise<SessionContext> {
    const hit = cache.get(tokenHash);
    if (hit && Date.now() - hit.cachedAt < options.cacheTtlMs) return hit.context;
    const { rows } = await db.query<SessionRow>(LOOKUP, [tokenHash]);
    const row = rows[0];
    if (!row) {
      cache.delete(tokenHash);
      throw new AppError("invalid_session", "Unknown, revoked or archived session.");
    }
    const context: SessionContext = {
      sessionId: row.id,
      appId: row.app_id,
      developerId: row.developer_id,
      endUserId: row.end_user_id,
      featureKey: row.feature_key,
      expiresAt: row.expires_at,
    };
    cache.delete(tokenHash);
    cache.set(tokenHash, { context, cachedAt: Date.now() });
    if (cache.size > options.maxCachedSessions) cache.delete(cache.keys().next().value!);
    return context;
  }

  return {
    /** The session behind `token`; throws invalid_session or expired_session. */
    async authenticate(token: string | undefined): Promise<SessionContext> {
      if (!token || !token.startsWith(TOKEN_PREFIX.session) || token.length > 200) {
        throw new AppError("invalid_session", "Send Authorization: Bearer mf_sess_… from POST /v1/sessions.");
      }
      const context = await lookup(hashToken(token));
      if (context.expiresAt.getTime() <= Date.now()) {
        throw new AppError("expired_session", "Session expired; mint a new one with POST /v1/sessions.");
      }
      return context;
    },
  };
}

export type SessionAuthenticator = ReturnType<typeof createSessionAuthenticator>;
