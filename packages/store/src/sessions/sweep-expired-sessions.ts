import type { Queryable } from "@modelfaucet/db";

/** Sessions stay this long after expiry, so a late request still gets `expired_session`, not `invalid_session`. */
const EXPIRED_SESSION_GRACE_SECONDS = 86_400;

/**
 * Deletes sessions expired for more than a day, a bounded batch at a time.
 * Safe with several workers: a row deleted by one is simply not found by another.
 */
export async function sweepExpiredSessions(db: Queryable, limit: number): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM sessions WHERE id IN (
       SELECT id FROM sessions WHERE expires_at < now() - make_interval(secs => $1)
       ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
    [EXPIRED_SESSION_GRACE_SECONDS, limit],
  );
  return rowCount;
}
