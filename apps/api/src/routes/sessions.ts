import { openWallet, walletBalanceUsd } from "@modelfaucet/billing";
import { AppError } from "@modelfaucet/core";
import { hashExternalUserId, hashToken, newId, newToken, TOKEN_PREFIX, type SecretKeyring } from "@modelfaucet/crypto";
import type { Database, Queryable } from "@modelfaucet/db";
import { createSessionBody, sessionGrantSchema } from "@modelfaucet/contract";
import { bearerToken, type RouteContract, withContract } from "@modelfaucet/server-kit";
import type { FastifyInstance } from "fastify";
import { assertSignedByApp } from "../sessions/signed-session-proof.js";

const createSession = {
  summary: "Mint a session for one end user of an app",
  description:
    "A `public` app's id is enough; a `signed` app's backend sends its secret key as the bearer, or a user " +
    "assertion (`user_assertion`, `assertion_expires_at`) made with it. The external user id is stored only hashed.",
  auth: "app",
  body: createSessionBody,
  response: sessionGrantSchema,
} satisfies RouteContract;

// A feature's route preference, as the route modes a client will see used.
const MODE_OF_ROUTE: Record<string, string> = {
  platform_pool: "platform",
  developer_key: "developer_key",
  end_user_byok: "byok",
  local: "local",
};

interface AppRow {
  id: string;
  session_mode: "public" | "signed";
  status: "active" | "archived";
}

export interface SessionRoutesOptions {
  db: Database;
  /** Decrypts app secret keys to check user assertions. */
  keyring: SecretKeyring;
  /**
   * Keys of the HMAC under which external user ids are stored: the current one
   * first, then the one it replaced while a master key rotation is under way.
   */
  userIdKeys: Buffer[];
  ttlSeconds: number;
  gatewayBaseUrl: string;
}

async function loadApp(db: Queryable, appId: string): Promise<AppRow> {
  const { rows } = await db.query<AppRow>("SELECT id, session_mode, status FROM apps WHERE id = $1", [appId]);
  const app = rows[0];
  if (!app) throw new AppError("invalid_app", "Unknown public_app_id.");
  if (app.status !== "active") throw new AppError("invalid_app", "This app is archived.", { status: 403 });
  return app;
}

async function availableModes(db: Queryable, appId: string, featureKey: string | undefined): Promise<string[]> {
  const { rows } = await db.query<{ feature_key: string; policy: { route_preference?: string[] } }>(
    "SELECT feature_key, policy FROM app_features WHERE app_id = $1 AND status = 'active'",
    [appId],
  );
  const features = featureKey ? rows.filter((row) => row.feature_key === featureKey) : rows;
  if (featureKey && features.length === 0)
    throw new AppError("feature_not_found", `No feature "${featureKey}" in this app.`);
  const modes = new Set(
    features.flatMap((row) => row.policy.route_preference ?? []).map((route) => MODE_OF_ROUTE[route]),
  );
  return [...modes].filter((mode): mode is string => mode !== undefined);
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

/** `POST /v1/sessions`: an app's backend (or, for public apps, its client) mints a session for one end user. */
export async function sessionRoutes(app: FastifyInstance, options: SessionRoutesOptions) {
  const { db } = options;

  app.post("/v1/sessions", withContract(createSession), async (request, reply) => {
    const body = createSession.body.parse(request.body);
    const appRow = await loadApp(db, body.public_app_id);
    if (appRow.session_mode === "signed") {
      await assertSignedByApp(db, options.keyring, {
        appId: appRow.id,
        externalUserId: body.external_user_id,
        bearer: bearerToken(request),
        assertion:
          body.user_assertion === undefined || body.assertion_expires_at === undefined
            ? undefined
            : { signature: body.user_assertion, expiresAtSeconds: body.assertion_expires_at },
      });
    }
    const modes = await availableModes(db, appRow.id, body.feature_key);

    const token = newToken(TOKEN_PREFIX.session);
    const hashes = options.userIdKeys.map((key) => hashExternalUserId(key, appRow.id, body.external_user_id));
    const endUserId = await db.transaction(async (tx) => {
      const id = await findOrCreateEndUser(tx, appRow.id, hashes);
      await openWallet(tx, id);
      await tx.query(
        `INSERT INTO sessions (id, token_hash, app_id, end_user_id, feature_key, metadata, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(secs => $7))`,
        [
          newId("ses"),
          hashToken(token),
          appRow.id,
          id,
          body.feature_key ?? null,
          JSON.stringify(body.metadata ?? {}),
          options.ttlSeconds,
        ],
      );
      return id;
    });

    // 200, not 201: like an OAuth token endpoint, this hands out a credential.
    return reply.code(200).send({
      session_token: token,
      expires_in: options.ttlSeconds,
      gateway_base_url: options.gatewayBaseUrl,
      available_modes: modes,
      wallet_balance_usd: await walletBalanceUsd(db, endUserId),
    });
  });
}
