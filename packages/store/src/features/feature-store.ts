import { AppError, type FeatureManifest } from "@modelfaucet/core";
import type { Database, Queryable } from "@modelfaucet/db";
import { findActiveApp, findApp, type App } from "../apps/app-store.js";
import { appendAuditEntry, type AuditActor } from "../audit/append-audit-entry.js";
import type { Tenant } from "../tenant.js";

/**
 * An app's features as the developer console reads and writes them, behind
 * the app's tenancy check (findApp): another developer's app, and so its
 * features, do not exist to the caller.
 */
export interface StoredFeature {
  featureKey: string;
  displayName: string;
  /** As validated on write (featureManifestSchema). */
  policy: unknown;
  pricing: unknown;
  status: "active" | "archived";
  createdAt: Date;
  updatedAt: Date;
}

/** A stored feature as a manifest: what a JSON Merge Patch applies to. */
export interface StoredManifest {
  feature_key: string;
  display_name: string;
  policy: unknown;
  pricing: unknown;
}

interface FeatureRow {
  feature_key: string;
  display_name: string;
  policy: unknown;
  pricing: unknown;
  status: "active" | "archived";
  created_at: Date;
  updated_at: Date;
}

const FEATURE_COLUMNS = "feature_key, display_name, policy, pricing, status, created_at, updated_at";

const toFeature = (row: FeatureRow): StoredFeature => ({
  featureKey: row.feature_key,
  displayName: row.display_name,
  policy: row.policy,
  pricing: row.pricing,
  status: row.status,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** The features of the tenant's active app, by key. */
export async function listFeatures(q: Queryable, tenant: Tenant, appId: string): Promise<StoredFeature[]> {
  const app = await findActiveApp(q, tenant, appId);
  const { rows } = await q.query<FeatureRow>(
    `SELECT ${FEATURE_COLUMNS} FROM app_features f
     WHERE f.app_id = $1 AND EXISTS (SELECT 1 FROM apps a WHERE a.id = f.app_id AND a.developer_id = $2)
     ORDER BY feature_key`,
    [app.id, app.developerId],
  );
  return rows.map(toFeature);
}

/**
 * Adds a feature to the tenant's active app, with its audit entry; 409
 * `conflict` when the key is taken (active or archived).
 */
export async function createFeature(
  db: Database,
  tenant: Tenant,
  appId: string,
  manifest: FeatureManifest,
  actor: AuditActor,
): Promise<void> {
  await db.transaction(async (tx) => {
    const app = await findActiveApp(tx, tenant, appId);
    const inserted = await tx.query(
      `INSERT INTO app_features (app_id, feature_key, display_name, policy, pricing) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING`,
      [app.id, ...manifestParams(manifest)],
    );
    if (inserted.rowCount !== 1) throw new AppError("conflict", `Feature "${manifest.feature_key}" already exists.`);
    await audit(tx, actor, app, "feature.create", manifest.feature_key);
  });
}

/** A change to an active feature: the new manifest made from the stored one, and the fields the caller named. */
export interface FeatureChange {
  /** Runs inside the transaction, on the stored manifest; throws to refuse the change. */
  merge: (stored: StoredManifest) => FeatureManifest;
  /** The fields the caller named, as it named them: recorded in the audit entry. */
  fields: readonly string[];
}

/**
 * Replaces an active feature's manifest with `change.merge` of the stored
 * one, with its audit entry. 404 `feature_not_found`; 409 `conflict` when
 * the feature is archived.
 */
export async function updateFeature(
  db: Database,
  tenant: Tenant,
  appId: string,
  featureKey: string,
  change: FeatureChange,
  actor: AuditActor,
): Promise<StoredFeature> {
  return db.transaction(async (tx) => {
    const app = await findActiveApp(tx, tenant, appId, true);
    const current = await findFeature(tx, app, featureKey);
    if (current.status !== "active") throw new AppError("conflict", `Feature "${featureKey}" is archived.`);
    const manifest = change.merge({
      feature_key: featureKey,
      display_name: current.display_name,
      policy: current.policy,
      pricing: current.pricing,
    });
    const { rows } = await tx.query<FeatureRow>(
      `UPDATE app_features SET display_name = $3, policy = $4, pricing = $5, updated_at = now()
       WHERE app_id = $1 AND feature_key = $2 RETURNING ${FEATURE_COLUMNS}`,
      [app.id, ...manifestParams(manifest)],
    );
    await audit(tx, actor, app, "feature.update", featureKey, { fields: change.fields });
    return toFeature(rows[0]!);
  });
}

/** Archives the feature (idempotent: an audit entry only when it was active); 404 `feature_not_found`. */
export async function archiveFeature(
  db: Database,
  tenant: Tenant,
  appId: string,
  featureKey: string,
  actor: AuditActor,
): Promise<StoredFeature> {
  return db.transaction(async (tx) => {
    const app = await findApp(tx, tenant, appId, true);
    const current = await findFeature(tx, app, featureKey);
    if (current.status === "archived") return toFeature(current);
    const { rows } = await tx.query<FeatureRow>(
      `UPDATE app_features SET status = 'archived', updated_at = now()
       WHERE app_id = $1 AND feature_key = $2 RETURNING ${FEATURE_COLUMNS}`,
      [app.id, featureKey],
    );
    await audit(tx, actor, app, "feature.archive", featureKey);
    return toFeature(rows[0]!);
  });
}

/** The app's feature, locked; 404 `feature_not_found` when there is none. */
async function findFeature(q: Queryable, app: App, featureKey: string): Promise<FeatureRow> {
  const { rows } = await q.query<FeatureRow>(
    `SELECT ${FEATURE_COLUMNS} FROM app_features f
     WHERE f.app_id = $1 AND f.feature_key = $2
       AND EXISTS (SELECT 1 FROM apps a WHERE a.id = f.app_id AND a.developer_id = $3)
     FOR UPDATE`,
    [app.id, featureKey, app.developerId],
  );
  if (!rows[0]) throw new AppError("feature_not_found", `No feature "${featureKey}" in this app.`);
  return rows[0];
}

/** `$2..$5` of the feature statements: key, display name, policy, pricing. */
const manifestParams = (manifest: FeatureManifest) => [
  manifest.feature_key,
  manifest.display_name,
  JSON.stringify(manifest.policy),
  JSON.stringify(manifest.pricing),
];

function audit(
  q: Queryable,
  actor: AuditActor,
  app: App,
  action: string,
  featureKey: string,
  details?: Record<string, unknown>,
): Promise<void> {
  return appendAuditEntry(q, {
    ...actor,
    developerId: app.developerId,
    action,
    resourceType: "feature",
    resourceId: `${app.id}/${featureKey}`,
    details,
  });
}
