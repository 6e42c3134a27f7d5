import { AppError, type FeatureManifest } from "@modelfaucet/core";
import { type EnvelopeRecord } from "@modelfaucet/crypto";
import type { Queryable } from "@modelfaucet/db";
import { envelopeParams } from "@modelfaucet/server-kit";

/**
 * Apps, features and app secret keys as the developer console reads and
 * writes them. Every function takes `tenant`: the developer the caller acts
 * for, or null for the bootstrap DEVELOPER_ADMIN_TOKEN (any developer). The
 * filter is in the SQL itself, so another developer's rows are never read:
 * to the caller they do not exist (404).
 */
export type Tenant = string | null;

export interface AppRow {
  id: string;
  developer_id: string;
  name: string;
  session_mode: "public" | "signed";
  status: "active" | "archived";
  created_at: Date;
  updated_at: Date;
  archived_at: Date | null;
}

export interface FeatureRow {
  feature_key: string;
  display_name: string;
  policy: unknown;
  pricing: unknown;
  status: "active" | "archived";
  created_at: Date;
  updated_at: Date;
}

/** Most apps one listing returns. */
export const MAX_LISTED_APPS = 500;

const APP_COLUMNS = "id, developer_id, name, session_mode, status, created_at, updated_at, archived_at";
const FEATURE_COLUMNS = "feature_key, display_name, policy, pricing, status, created_at, updated_at";

/** The tenant's app (active or archived), locked when `forUpdate`; 404 `invalid_app` when it has none. */
export async function findApp(q: Queryable, tenant: Tenant, appId: string, forUpdate = false): Promise<AppRow> {
  const { rows } = await q.query<AppRow>(
    `SELECT ${APP_COLUMNS} FROM apps WHERE id = $1 AND ($2::text IS NULL OR developer_id = $2)
     ${forUpdate ? "FOR UPDATE" : ""}`,
    [appId, tenant],
  );
  if (!rows[0]) throw new AppError("invalid_app", "Unknown app.");
  return rows[0];
}

/** The tenant's active app; an archived one is 403 `invalid_app`. */
export async function findActiveApp(q: Queryable, tenant: Tenant, appId: string, forUpdate = false): Promise<AppRow> {
  const app = await findApp(q, tenant, appId, forUpdate);
  if (app.status !== "active") throw new AppError("invalid_app", "This app is archived.", { status: 403 });
  return app;
}

export async function listApps(q: Queryable, tenant: Tenant): Promise<AppRow[]> {
  const { rows } = await q.query<AppRow>(
    `SELECT ${APP_COLUMNS} FROM apps WHERE ($1::text IS NULL OR developer_id = $1)
     ORDER BY created_at, id LIMIT ${MAX_LISTED_APPS}`,
    [tenant],
  );
  return rows;
}

export async function insertApp(
  q: Queryable,
  app: { id: string; developerId: string; name: string; sessionMode: "public" | "signed" },
): Promise<AppRow> {
  const { rows } = await q.query<AppRow>(
    `INSERT INTO apps (id, developer_id, name, session_mode) VALUES ($1, $2, $3, $4) RETURNING ${APP_COLUMNS}`,
    [app.id, app.developerId, app.name, app.sessionMode],
  );
  return rows[0]!;
}

/** Renames and/or switches the session mode of the tenant's active app. */
export async function updateApp(
  q: Queryable,
  tenant: Tenant,
  appId: string,
  change: { name?: string | undefined; sessionMode?: "public" | "signed" | undefined },
): Promise<AppRow> {
  await findActiveApp(q, tenant, appId, true);
  const { rows } = await q.query<AppRow>(
    `UPDATE apps SET name = coalesce($3, name), session_mode = coalesce($4, session_mode), updated_at = now()
     WHERE id = $1 AND ($2::text IS NULL OR developer_id = $2) RETURNING ${APP_COLUMNS}`,
    [appId, tenant, change.name ?? null, change.sessionMode ?? null],
  );
  return rows[0]!;
}

/**
 * Archives the tenant's app; `changed` is false when it already was. Session
 * lookups (API and Gateway) require an active app, so its sessions stop with
 * this commit once the caller has published the invalidation to the caches.
 */
export async function archiveApp(
  q: Queryable,
  tenant: Tenant,
  appId: string,
): Promise<{ app: AppRow; changed: boolean }> {
  const current = await findApp(q, tenant, appId, true);
  if (current.status === "archived") return { app: current, changed: false };
  const { rows } = await q.query<AppRow>(
    `UPDATE apps SET status = 'archived', archived_at = now(), updated_at = now()
     WHERE id = $1 AND ($2::text IS NULL OR developer_id = $2) RETURNING ${APP_COLUMNS}`,
    [appId, tenant],
  );
  return { app: rows[0]!, changed: true };
}

/** Features of an app already checked to be the tenant's (see findApp). */
export async function listFeatures(q: Queryable, app: AppRow): Promise<FeatureRow[]> {
  const { rows } = await q.query<FeatureRow>(
    `SELECT ${FEATURE_COLUMNS} FROM app_features f
     WHERE f.app_id = $1 AND EXISTS (SELECT 1 FROM apps a WHERE a.id = f.app_id AND a.developer_id = $2)
     ORDER BY feature_key`,
    [app.id, app.developer_id],
  );
  return rows;
}

/** The app's feature, locked; 404 `feature_not_found` when there is none. */
export async function findFeature(q: Queryable, app: AppRow, featureKey: string): Promise<FeatureRow> {
  const { rows } = await q.query<FeatureRow>(
    `SELECT ${FEATURE_COLUMNS} FROM app_features f
     WHERE f.app_id = $1 AND f.feature_key = $2
       AND EXISTS (SELECT 1 FROM apps a WHERE a.id = f.app_id AND a.developer_id = $3)
     FOR UPDATE`,
    [app.id, featureKey, app.developer_id],
  );
  if (!rows[0]) throw new AppError("feature_not_found", `No feature "${featureKey}" in this app.`);
  return rows[0];
}

/** Inserts a feature; false when the key is taken (active or archived). */
export async function insertFeature(q: Queryable, app: AppRow, manifest: FeatureManifest): Promise<boolean> {
  const inserted = await q.query(
    `INSERT INTO app_features (app_id, feature_key, display_name, policy, pricing) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT DO NOTHING`,
    [
      app.id,
      manifest.feature_key,
      manifest.display_name,
      JSON.stringify(manifest.policy),
      JSON.stringify(manifest.pricing),
    ],
  );
  return inserted.rowCount === 1;
}

export async function updateFeature(q: Queryable, app: AppRow, manifest: FeatureManifest): Promise<FeatureRow> {
  const { rows } = await q.query<FeatureRow>(
    `UPDATE app_features SET display_name = $3, policy = $4, pricing = $5, updated_at = now()
     WHERE app_id = $1 AND feature_key = $2 RETURNING ${FEATURE_COLUMNS}`,
    [
      app.id,
      manifest.feature_key,
      manifest.display_name,
      JSON.stringify(manifest.policy),
      JSON.stringify(manifest.pricing),
    ],
  );
  return rows[0]!;
}

export async function archiveFeature(q: Queryable, app: AppRow, featureKey: string): Promise<FeatureRow> {
  const { rows } = await q.query<FeatureRow>(
    `UPDATE app_features SET status = 'archived', updated_at = now()
     WHERE app_id = $1 AND feature_key = $2 RETURNING ${FEATURE_COLUMNS}`,
    [app.id, featureKey],
  );
  return rows[0]!;
}

export interface SecretKeyRow {
  id: string;
  key_prefix: string;
  created_at: Date;
  revoked_at: Date | null;
}

/**
 * The associated data binding an app secret key's envelope to its row:
 * `app_secret_keys:ask_…:app_…`. A ciphertext copied to another row or app does not decrypt.
 */
export const appSecretKeyAad = (keyId: string, appId: string) => `app_secret_keys:${keyId}:${appId}`;

/** Stores a new key: its hash (bearer use), its prefix (display) and its envelope (assertion checks). */
export async function insertSecretKey(
  q: Queryable,
  app: AppRow,
  key: { id: string; hash: string; prefix: string; envelope: EnvelopeRecord },
): Promise<SecretKeyRow> {
  const { rows } = await q.query<SecretKeyRow>(
    `INSERT INTO app_secret_keys (id, app_id, key_hash, key_prefix, secret_key_id, secret_wrapped_key,
       secret_wrap_iv, secret_wrap_tag, secret_iv, secret_ciphertext, secret_tag)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     RETURNING id, key_prefix, created_at, revoked_at`,
    [key.id, app.id, key.hash, key.prefix, ...envelopeParams(key.envelope)],
  );
  return rows[0]!;
}

/**
 * Revokes the tenant's active app secret key and erases its envelope (it can
 * never be decrypted again); undefined when it has no such key (unknown, another's, revoked).
 */
export async function revokeSecretKey(
  q: Queryable,
  tenant: Tenant,
  appId: string,
  keyId: string,
): Promise<SecretKeyRow | undefined> {
  const { rows } = await q.query<SecretKeyRow>(
    `UPDATE app_secret_keys k SET revoked_at = now(), secret_key_id = NULL, secret_wrapped_key = NULL,
       secret_wrap_iv = NULL, secret_wrap_tag = NULL, secret_iv = NULL, secret_ciphertext = NULL, secret_tag = NULL
     FROM apps a
     WHERE k.id = $1 AND k.app_id = $2 AND a.id = k.app_id AND ($3::text IS NULL OR a.developer_id = $3)
       AND k.revoked_at IS NULL
     RETURNING k.id, k.key_prefix, k.created_at, k.revoked_at`,
    [keyId, appId, tenant],
  );
  return rows[0];
}
