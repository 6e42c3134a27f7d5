import { AppError, type Limits } from "@modelfaucet/core";
import { newId } from "@modelfaucet/crypto";
import type { Database, Queryable } from "@modelfaucet/db";
import { appendAuditEntry, type AuditActor } from "../audit/append-audit-entry.js";
import { developerExists } from "../developers/developer-store.js";
import type { Tenant } from "../tenant.js";

/**
 * Apps as the developer console reads and writes them. Every function takes
 * `tenant`: the developer the caller acts for, or null for the bootstrap
 * DEVELOPER_ADMIN_TOKEN (any developer). The filter is in the SQL itself, so
 * another developer's rows are never read: to the caller they do not exist (404).
 */
export interface App {
  /** The public app id (`app_…`). */
  id: string;
  developerId: string;
  name: string;
  /** `public`: anyone with the id mints sessions; `signed`: only the app's backend. */
  sessionMode: "public" | "signed";
  status: "active" | "archived";
  createdAt: Date;
  updatedAt: Date;
  archivedAt: Date | null;
  /** Spending budgets and per-end-user rates across the app (appLimitsSchema, validated on write); null = none. */
  limits: Limits | null;
}

interface AppRow {
  id: string;
  developer_id: string;
  name: string;
  session_mode: "public" | "signed";
  status: "active" | "archived";
  created_at: Date;
  updated_at: Date;
  archived_at: Date | null;
  limits: Limits | null;
}

/** Most apps one listing returns. */
export const MAX_LISTED_APPS = 500;

const APP_COLUMNS = "id, developer_id, name, session_mode, status, created_at, updated_at, archived_at, limits";

const toApp = (row: AppRow): App => ({
  id: row.id,
  developerId: row.developer_id,
  name: row.name,
  sessionMode: row.session_mode,
  status: row.status,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  archivedAt: row.archived_at,
  limits: row.limits ?? null,
});

/** The tenant's app (active or archived), locked when `forUpdate`; 404 `invalid_app` when it has none. */
export async function findApp(q: Queryable, tenant: Tenant, appId: string, forUpdate = false): Promise<App> {
  const { rows } = await q.query<AppRow>(
    `SELECT ${APP_COLUMNS} FROM apps WHERE id = $1 AND ($2::text IS NULL OR developer_id = $2)
     ${forUpdate ? "FOR UPDATE" : ""}`,
    [appId, tenant],
  );
  if (!rows[0]) throw new AppError("invalid_app", "Unknown app.");
  return toApp(rows[0]);
}

/** The tenant's active app; an archived one is 403 `invalid_app`. */
export async function findActiveApp(q: Queryable, tenant: Tenant, appId: string, forUpdate = false): Promise<App> {
  const app = await findApp(q, tenant, appId, forUpdate);
  if (app.status !== "active") throw new AppError("invalid_app", "This app is archived.", { status: 403 });
  return app;
}

/** The tenant's apps, oldest first, at most MAX_LISTED_APPS. */
export async function listApps(q: Queryable, tenant: Tenant): Promise<App[]> {
  const { rows } = await q.query<AppRow>(
    `SELECT ${APP_COLUMNS} FROM apps WHERE ($1::text IS NULL OR developer_id = $1)
     ORDER BY created_at, id LIMIT ${MAX_LISTED_APPS}`,
    [tenant],
  );
  return rows.map(toApp);
}

/** Creates an app of `app.developerId`, with its audit entry; 404 `not_found` for an unknown developer. */
export async function createApp(
  db: Database,
  app: { developerId: string; name: string; sessionMode: "public" | "signed"; limits?: Limits | undefined },
  actor: AuditActor,
): Promise<App> {
  return db.transaction(async (tx) => {
    if (!(await developerExists(tx, app.developerId))) throw new AppError("not_found", "Unknown developer_id.");
    const { rows } = await tx.query<AppRow>(
      `INSERT INTO apps (id, developer_id, name, session_mode, limits) VALUES ($1, $2, $3, $4, $5)
       RETURNING ${APP_COLUMNS}`,
      [newId("app"), app.developerId, app.name, app.sessionMode, app.limits ? JSON.stringify(app.limits) : null],
    );
    const created = toApp(rows[0]!);
    await appendAuditEntry(tx, {
      ...actor,
      developerId: created.developerId,
      action: "app.create",
      resourceType: "app",
      resourceId: created.id,
    });
    return created;
  });
}

/** A change to an app: what to set, and the request's field names for the audit entry. */
export interface AppChange {
  name?: string | undefined;
  sessionMode?: "public" | "signed" | undefined;
  /** New limits (replacing the old ones whole), null to remove them, undefined to keep them. */
  limits?: Limits | null | undefined;
  /** The fields the caller named, as it named them: recorded in the audit entry. */
  fields: readonly string[];
}

/** Renames, switches the session mode of and/or sets the limits of the tenant's active app, with its audit entry. */
export async function updateApp(
  db: Database,
  tenant: Tenant,
  appId: string,
  change: AppChange,
  actor: AuditActor,
): Promise<App> {
  return db.transaction(async (tx) => {
    await findActiveApp(tx, tenant, appId, true);
    const { rows } = await tx.query<AppRow>(
      `UPDATE apps SET name = coalesce($3, name), session_mode = coalesce($4, session_mode),
         limits = CASE WHEN $5 THEN $6::jsonb ELSE limits END, updated_at = now()
       WHERE id = $1 AND ($2::text IS NULL OR developer_id = $2) RETURNING ${APP_COLUMNS}`,
      [
        appId,
        tenant,
        change.name ?? null,
        change.sessionMode ?? null,
        change.limits !== undefined,
        change.limits ? JSON.stringify(change.limits) : null,
      ],
    );
    const updated = toApp(rows[0]!);
    await appendAuditEntry(tx, {
      ...actor,
      developerId: updated.developerId,
      action: "app.update",
      resourceType: "app",
      resourceId: appId,
      details: { fields: change.fields },
    });
    return updated;
  });
}

/**
 * Archives the tenant's app (idempotent: an audit entry only when it was
 * active). Session lookups (API and Gateway) require an active app, so its
 * sessions stop with this commit once the caller has published the
 * invalidation to the caches.
 */
export async function archiveApp(db: Database, tenant: Tenant, appId: string, actor: AuditActor): Promise<App> {
  return db.transaction(async (tx) => {
    const current = await findApp(tx, tenant, appId, true);
    if (current.status === "archived") return current;
    const { rows } = await tx.query<AppRow>(
      `UPDATE apps SET status = 'archived', archived_at = now(), updated_at = now()
       WHERE id = $1 AND ($2::text IS NULL OR developer_id = $2) RETURNING ${APP_COLUMNS}`,
      [appId, tenant],
    );
    await appendAuditEntry(tx, {
      ...actor,
      developerId: current.developerId,
      action: "app.archive",
      resourceType: "app",
      resourceId: appId,
    });
    return toApp(rows[0]!);
  });
}
