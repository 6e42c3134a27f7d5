import { AppError } from "@modelfaucet/core";
import { hashExternalUserId, hashToken, newId, newToken, TOKEN_PREFIX } from "@modelfaucet/crypto";
import type { Database, Queryable } from "@modelfaucet/db";
import type { SessionContext } from "@modelfaucet/server-kit";

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
 * The session whose token hashes to `tokenHash`, expired or not; undefined
 * when it is unknown, revoked or its app archived. One indexed query, for
 * server-kit's session authenticator (which the apps give this): it caches
 * the answer, so it is not run per Gateway request.
 */
export async function findSessionByTokenHash(q: Queryable, tokenHash: string): Promise<SessionContext | undefined> {
  const { rows } = await q.query<SessionRow>(LOOKUP, [tokenHash]);
  const row = rows[0];
  return (
    row && {
      sessionId: row.id,
      appId: row.app_id,
      developerId: row.developer_id,
      endUserId: row.end_user_id,
      featureKey: row.feature_key,
      expiresAt: row.expires_at,
    }
  );
}

/** An app as `POST /v1/sessions` needs it: how its sessions are minted. */
export interface SessionApp {
  id: string;
  sessionMode: "public" | "signed";
}

/** The active app `appId`; 404 `invalid_app` when unknown, 403 when archived. */
export async function findSessionApp(q: Queryable, appId: string): Promise<SessionApp> {
  const { rows } = await q.query<{ id: string; session_mode: SessionApp["sessionMode"]; status: string }>(
    "SELECT id, session_mode, status FROM apps WHERE id = $1",
    [appId],
  );
  const app = rows[0];
  if (!app) throw new AppError("invalid_app", "Unknown public_app_id.");
  if (app.status !== "active") throw new AppError("invalid_app", "This app is archived.", { status: 403 });
  return { id: app.id, sessionMode: app.session_mode };
}

/** A session to mint for one end user of an app. */
export interface NewSession {
  appId: string;
  /** The app's own id for the user: stored only as an HMAC under `userIdKeys`. */
  externalUserId: string;
  /**
   * Keys of the HMAC under which external user ids are stored: the current
   * one first, then the one it replaced while a master key rotation is under way.
   */
  userIdKeys: readonly Buffer[];
  featureKey: string | null;
  metadata: Record<string, unknown>;
  ttlSeconds: number;
}

/**
 * Mints a session: finds (or creates) the end user, runs `withEndUser` for
 * what must exist beside them (the API opens their wallet there) and stores
 * the session's hash, all in one transaction. The token is in the answer
 * only; the database keeps its SHA-256.
 */
export async function mintSession(
  db: Database,
  session: NewSession,
  withEndUser: (tx: Queryable, endUserId: string) => Promise<void>,
): Promise<{ token: string; endUserId: string }> {
  const token = newToken(TOKEN_PREFIX.session);
  const hashes = session.userIdKeys.map((key) => hashExternalUserId(key, session.appId, session.externalUserId));
  const endUserId = await db.transaction(async (tx) => {
    const id = await findOrCreateEndUser(tx, session.appId, hashes);
    await withEndUser(tx, id);
    await tx.query(
      `INSERT INTO sessions (id, token_hash, app_id, end_user_id, feature_key, metadata, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(secs => $7))`,
      [
        newId("ses"),
        hashToken(token),
        session.appId,
        id,
        session.featureKey,
        JSON.stringify(session.metadata),
        session.ttlSeconds,
      ],
    );
    return id;
  });
  return { token, endUserId };
}

/**
 * The end user behind these hashes (current key first). A user still stored
 * under the previous key is moved to the current one on the way, so a master
 * key rotation never splits a user from their wallet.
 */
async function findOrCreateEndUser(tx: Queryable, appId: string, [current, ...previous]: string[]): Promise<string> {
  if (previous.length > 0) {
    const moved = await tx.query<{ id: string }>(
      `UPDATE end_users SET external_user_hmac = $1
       WHERE app_id = $2 AND external_user_hmac = ANY($3::text[])
         AND NOT EXISTS (SELECT 1 FROM end_users WHERE app_id = $2 AND external_user_hmac = $1)
       RETURNING id`,
      [current, appId, previous],
    );
    if (moved.rows[0]) return moved.rows[0].id;
  }
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO end_users (id, app_id, external_user_hmac) VALUES ($1, $2, $3)
     ON CONFLICT (app_id, external_user_hmac) DO UPDATE SET app_id = EXCLUDED.app_id
     RETURNING id`,
    [newId("usr"), appId, current],
  );
  return rows[0]!.id;
}
