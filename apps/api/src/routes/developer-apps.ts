import { AppError, FEATURE_KEY_PATTERN, featureManifestSchema } from "@modelfaucet/core";
import {
  encryptSecret,
  hashToken,
  newId,
  newToken,
  TOKEN_PREFIX,
  tokenDisplayPrefix,
  type SecretKeyring,
} from "@modelfaucet/crypto";
import type { Database } from "@modelfaucet/db";
import {
  actingDeveloperId,
  developerOf,
  sessionInvalidationsOf,
  tenantOf,
  type DeveloperAuthenticator,
} from "@modelfaucet/server-kit";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import {
  appSecretKeyAad,
  archiveApp,
  archiveFeature,
  findActiveApp,
  findApp,
  findFeature,
  insertApp,
  insertFeature,
  insertSecretKey,
  listApps,
  listFeatures,
  revokeSecretKey,
  updateApp,
  updateFeature,
  type AppRow,
  type FeatureRow,
} from "../developer-console/app-store.js";
import { writeDeveloperAudit } from "../developer-console/developer-audit-log.js";
import { applyMergePatch } from "../developer-console/json-merge-patch.js";

const developerIdSchema = z
  .string()
  .regex(/^dev_[A-Za-z0-9_]{1,64}$/, { error: "developer_id must be a developer id (dev_…)" });
const appName = z.string().trim().min(1).max(200);
const sessionMode = z.enum(["public", "signed"]);

const createAppBody = z.object({
  // Required with the bootstrap token; a developer token may omit it (or name its own developer).
  developer_id: developerIdSchema.optional(),
  name: appName,
  // New apps are signed by default: only the app's backend may mint sessions.
  session_mode: sessionMode.default("signed"),
});

const patchAppBody = z
  .strictObject({ name: appName.optional(), session_mode: sessionMode.optional() })
  .refine((body) => body.name !== undefined || body.session_mode !== undefined, {
    error: "send name and/or session_mode",
  });

/**
 * A manifest change, as a JSON Merge Patch (RFC 7386) of the stored manifest:
 * `{"policy": {"max_output_tokens": 512}}` changes that one setting, `null`
 * removes a field (back to its default, or refused when it is required),
 * arrays replace. The merged manifest is validated whole.
 */
const patchFeatureBody = z.strictObject({
  feature_key: z.string().optional(),
  display_name: z.unknown().optional(),
  policy: z.unknown().optional(),
  pricing: z.unknown().optional(),
});

const appParams = z.object({ publicAppId: z.string().min(1).max(100) });
const featureParams = appParams.extend({
  featureKey: z.string().regex(FEATURE_KEY_PATTERN, { error: "must be a feature key" }),
});
const secretKeyParams = appParams.extend({
  id: z.string().regex(/^ask_[A-Za-z0-9_]{1,64}$/, { error: "must be an app secret key id (ask_…)" }),
});

const appToWire = (row: AppRow) => ({
  public_app_id: row.id,
  developer_id: row.developer_id,
  name: row.name,
  session_mode: row.session_mode,
  status: row.status,
  created_at: row.created_at.toISOString(),
  updated_at: row.updated_at.toISOString(),
  archived_at: row.archived_at?.toISOString() ?? null,
});

const featureToWire = (appId: string, row: FeatureRow) => ({
  public_app_id: appId,
  feature_key: row.feature_key,
  display_name: row.display_name,
  policy: row.policy,
  pricing: row.pricing,
  status: row.status,
  created_at: row.created_at.toISOString(),
  updated_at: row.updated_at.toISOString(),
});

export interface DeveloperAppsOptions {
  db: Database;
  auth: DeveloperAuthenticator;
  /** Encrypts new app secret keys, so user assertions made with them can be checked. */
  keyring: SecretKeyring;
}

const tenant = (request: FastifyRequest) => tenantOf(developerOf(request));

/**
 * Apps, their secret keys and features, for a `mf_dev_` token (its own
 * developer only: another developer's app is 404) or the bootstrap
 * DEVELOPER_ADMIN_TOKEN (any developer, named by `developer_id` on create).
 */
export async function developerAppsRoutes(app: FastifyInstance, { db, auth, keyring }: DeveloperAppsOptions) {
  const appsRead = { onRequest: auth.requireDeveloper("developer:apps:read") };
  const appsWrite = { onRequest: auth.requireDeveloper("developer:apps:write") };
  const featuresRead = { onRequest: auth.requireDeveloper("developer:features:read") };
  const featuresWrite = { onRequest: auth.requireDeveloper("developer:features:write") };
  // RFC 7386's own media type for the feature PATCH, parsed as JSON is (application/json works too).
  app.addContentTypeParser(
    "application/merge-patch+json",
    { parseAs: "string" },
    app.getDefaultJsonParser("error", "error"),
  );

  app.post("/v1/developer/apps", appsWrite, async (request, reply) => {
    const body = createAppBody.parse(request.body);
    const developerId = actingDeveloperId(developerOf(request), body.developer_id, "developer_id");
    const row = await db.transaction(async (tx) => {
      const developer = await tx.query("SELECT 1 FROM developers WHERE id = $1", [developerId]);
      if (developer.rows.length === 0) throw new AppError("not_found", "Unknown developer_id.");
      const created = await insertApp(tx, {
        id: newId("app"),
        developerId,
        name: body.name,
        sessionMode: body.session_mode,
      });
      await writeDeveloperAudit(tx, request, {
        developerId,
        action: "app.create",
        resourceType: "app",
        resourceId: created.id,
      });
      return created;
    });
    return reply.code(201).send(appToWire(row));
  });

  app.get("/v1/developer/apps", appsRead, async (request) => {
    const { developer_id } = z.object({ developer_id: z.string().max(100).optional() }).parse(request.query);
    const developerId = actingDeveloperId(developerOf(request), developer_id, "developer_id", "optional");
    return { items: (await listApps(db, developerId)).map(appToWire) };
  });

  app.patch("/v1/developer/apps/:publicAppId", appsWrite, async (request) => {
    const { publicAppId } = appParams.parse(request.params);
    const body = patchAppBody.parse(request.body);
    const row = await db.transaction(async (tx) => {
      const updated = await updateApp(tx, tenant(request), publicAppId, {
        name: body.name,
        sessionMode: body.session_mode,
      });
      await writeDeveloperAudit(tx, request, {
        developerId: updated.developer_id,
        action: "app.update",
        resourceType: "app",
        resourceId: publicAppId,
        details: { fields: Object.keys(body).sort() },
      });
      return updated;
    });
    return appToWire(row);
  });

  /**
   * Archives the app (idempotent). Its sessions stop before the response:
   * every session lookup requires an active app, and the invalidation drops
   * them from the session caches of this process and of the others.
   */
  app.delete("/v1/developer/apps/:publicAppId", appsWrite, async (request) => {
    const { publicAppId } = appParams.parse(request.params);
    const row = await db.transaction(async (tx) => {
      const { app: archived, changed } = await archiveApp(tx, tenant(request), publicAppId);
      if (changed) {
        await writeDeveloperAudit(tx, request, {
          developerId: archived.developer_id,
          action: "app.archive",
          resourceType: "app",
          resourceId: publicAppId,
        });
      }
      return archived;
    });
    // Also when it was archived already: a retry after a failed publish must still reach every cache.
    await sessionInvalidationsOf(db).publish({ appId: publicAppId });
    return appToWire(row);
  });

  /** A new server-side secret for `signed` session mode; the key is in this response only. */
  app.post("/v1/developer/apps/:publicAppId/secret-keys", appsWrite, async (request, reply) => {
    const { publicAppId } = appParams.parse(request.params);
    const key = newToken(TOKEN_PREFIX.appSecretKey);
    const prefix = tokenDisplayPrefix(key, TOKEN_PREFIX.appSecretKey);
    const created = await db.transaction(async (tx) => {
      const appRow = await findActiveApp(tx, tenant(request), publicAppId);
      const id = newId("ask");
      const envelope = encryptSecret(key, appSecretKeyAad(id, appRow.id), keyring.current);
      const row = await insertSecretKey(tx, appRow, { id, hash: hashToken(key), prefix, envelope });
      await writeDeveloperAudit(tx, request, {
        developerId: appRow.developer_id,
        action: "app_secret_key.create",
        resourceType: "app_secret_key",
        resourceId: row.id,
      });
      return row;
    });
    return reply.code(201).send({
      id: created.id,
      public_app_id: publicAppId,
      secret_key: key,
      prefix,
      created_at: created.created_at.toISOString(),
    });
  });

  app.delete("/v1/developer/apps/:publicAppId/secret-keys/:id", appsWrite, async (request) => {
    const { publicAppId, id } = secretKeyParams.parse(request.params);
    const revoked = await db.transaction(async (tx) => {
      const appRow = await findApp(tx, tenant(request), publicAppId);
      const row = await revokeSecretKey(tx, tenant(request), publicAppId, id);
      if (!row) throw new AppError("not_found", "No active secret key with this id in this app.");
      await writeDeveloperAudit(tx, request, {
        developerId: appRow.developer_id,
        action: "app_secret_key.revoke",
        resourceType: "app_secret_key",
        resourceId: id,
      });
      return row;
    });
    return {
      id: revoked.id,
      public_app_id: publicAppId,
      prefix: revoked.key_prefix,
      created_at: revoked.created_at.toISOString(),
      revoked_at: revoked.revoked_at?.toISOString() ?? null,
    };
  });

  app.post("/v1/developer/apps/:publicAppId/features", featuresWrite, async (request, reply) => {
    const { publicAppId } = appParams.parse(request.params);
    const manifest = featureManifestSchema.parse(request.body);
    await db.transaction(async (tx) => {
      const appRow = await findActiveApp(tx, tenant(request), publicAppId);
      if (!(await insertFeature(tx, appRow, manifest))) {
        throw new AppError("conflict", `Feature "${manifest.feature_key}" already exists.`);
      }
      await writeDeveloperAudit(tx, request, {
        developerId: appRow.developer_id,
        action: "feature.create",
        resourceType: "feature",
        resourceId: `${publicAppId}/${manifest.feature_key}`,
      });
    });
    return reply.code(201).send({ public_app_id: publicAppId, ...manifest, status: "active" });
  });

  app.get("/v1/developer/apps/:publicAppId/features", featuresRead, async (request) => {
    const { publicAppId } = appParams.parse(request.params);
    const appRow = await findActiveApp(db, tenant(request), publicAppId);
    return { items: (await listFeatures(db, appRow)).map((row) => featureToWire(publicAppId, row)) };
  });

  app.patch("/v1/developer/apps/:publicAppId/features/:featureKey", featuresWrite, async (request) => {
    const { publicAppId, featureKey } = featureParams.parse(request.params);
    const body = patchFeatureBody.parse(request.body);
    if (body.feature_key !== undefined && body.feature_key !== featureKey) {
      throw new AppError("invalid_request", "feature_key: cannot be changed; create a new feature instead.");
    }
    const row = await db.transaction(async (tx) => {
      const appRow = await findActiveApp(tx, tenant(request), publicAppId, true);
      const current = await findFeature(tx, appRow, featureKey);
      if (current.status !== "active") throw new AppError("conflict", `Feature "${featureKey}" is archived.`);
      const stored = {
        feature_key: featureKey,
        display_name: current.display_name,
        policy: current.policy,
        pricing: current.pricing,
      };
      const manifest = featureManifestSchema.parse(applyMergePatch(stored, body));
      const updated = await updateFeature(tx, appRow, manifest);
      await writeDeveloperAudit(tx, request, {
        developerId: appRow.developer_id,
        action: "feature.update",
        resourceType: "feature",
        resourceId: `${publicAppId}/${featureKey}`,
        details: { fields: Object.keys(body).sort() },
      });
      return updated;
    });
    return featureToWire(publicAppId, row);
  });

  /** Archives the feature (idempotent): the Gateway serves active features only. */
  app.delete("/v1/developer/apps/:publicAppId/features/:featureKey", featuresWrite, async (request) => {
    const { publicAppId, featureKey } = featureParams.parse(request.params);
    const row = await db.transaction(async (tx) => {
      const appRow = await findApp(tx, tenant(request), publicAppId, true);
      const current = await findFeature(tx, appRow, featureKey);
      if (current.status === "archived") return current;
      const archived = await archiveFeature(tx, appRow, featureKey);
      await writeDeveloperAudit(tx, request, {
        developerId: appRow.developer_id,
        action: "feature.archive",
        resourceType: "feature",
        resourceId: `${publicAppId}/${featureKey}`,
      });
      return archived;
    });
    return featureToWire(publicAppId, row);
  });
}
