import { AppError } from "@modelfaucet/core";
import { hashToken, TOKEN_PREFIX } from "@modelfaucet/crypto";
import type { Queryable } from "@modelfaucet/db";
import { INVALIDATION_RETENTION_MS, sessionInvalidationsOf } from "./session-invalidations.js";

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

/**
 * Finds the live session (unrevoked, its app active) whose token hashes to
 * `tokenHash`, expired or not; undefined when there is none. The apps pass
 * the store's `findSessionByTokenHash`.
 */
export type SessionLookup = (db: Queryable, tokenHash: string) => Promise<SessionContext | undefined>;

export interface SessionAuthOptions {
  lookup: SessionLookup;
  /**
   * How long a looked-up session is trusted without asking the database (at
   * most INVALIDATION_RETENTION_MS). Archiving an app or revoking a session
   * publishes an invalidation that drops the entry at once (see
   * session-invalidations.ts); the TTL bounds staleness only when the channel
   * between processes is down. Expiry is checked on every request regardless.
   */
  cacheTtlMs: number;
  /** Bound on cached sessions; the oldest entries are dropped first. */
  maxCachedSessions: number;
}

/**
 * Resolves session tokens to their context, with a short in-process cache so
 * the Gateway's hot path does not query the database per request. Cached
 * entries are dropped by the invalidations of `db` (archive, revoke).
 */
export function createSessionAuthenticator(db: Queryable, options: SessionAuthOptions) {
  if (options.cacheTtlMs > INVALIDATION_RETENTION_MS) {
    throw new RangeError(`cacheTtlMs must be at most ${INVALIDATION_RETENTION_MS}`);
  }
  const invalidations = sessionInvalidationsOf(db);
  // `position` is the invalidation order when the lookup started: one racing it is stale too.
  const cache = new Map<string, { context: SessionContext; cachedAt: number; position: number }>();

  async function lookup(tokenHash: string): Promise<SessionContext> {
    const hit = cache.get(tokenHash);
    if (hit && Date.now() - hit.cachedAt < options.cacheTtlMs && !invalidations.isStale(hit.context, hit.position)) {
      return hit.context;
    }
    const position = invalidations.position();
    const context = await options.lookup(db, tokenHash);
    if (!context) {
      cache.delete(tokenHash);
      throw new AppError("invalid_session", "Unknown, revoked or archived session.");
    }
    cache.delete(tokenHash);
    cache.set(tokenHash, { context, cachedAt: Date.now(), position });
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
