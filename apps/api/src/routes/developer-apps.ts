import {
  actingDeveloperQuery,
  appParams,
  createAppBody,
  createdAppSecretKeySchema,
  createdFeatureSchema,
  developerAppListSchema,
  developerAppSchema,
  featureListSchema,
  featureManifestSchema,
  featureParams,
  featureSchema,
  patchAppBody,
  patchFeatureBody,
  revokedAppSecretKeySchema,
  secretKeyParams,
  type DeveloperApp,
} from "@modelfaucet/contract";
import { AppError } from "@modelfaucet/core";
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
  type RouteContract,
  withContract,
} from "@modelfaucet/server-kit";
import type { FastifyInstance, FastifyRequest } from "fastify";
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

const createAppRoute = {
  summary: "Create an app (scope developer:apps:write)",
  description: "New apps are `signed`: only the app's backend, with a secret key, may mint sessions.",
  auth: "developer",
  body: createAppBody,
  status: 201,
  response: developerAppSchema,
} satisfies RouteContract;

const listAppsRoute = {
  summary: "A developer's apps (scope developer:apps:read)",
  auth: "developer",
  query: actingDeveloperQuery,
  response: developerAppListSchema,
} satisfies RouteContract;

const patchAppRoute = {
  summary: "Rename an app or change its session mode (scope developer:apps:write)",
  auth: "developer",
  params: appParams,
  body: patchAppBody,
  response: developerAppSchema,
} satisfies RouteContract;

const archiveAppRoute = {
  summary: "Archive an app; its sessions stop before the answer (scope developer:apps:write)",
  auth: "developer",
  params: appParams,
  response: developerAppSchema,
} satisfies RouteContract;

const createSecretKeyRoute = {
  summary: "A new app secret key (mf_app_sk_…), shown in this answer only (scope developer:apps:write)",
  auth: "developer",
  params: appParams,
  status: 201,
  response: createdAppSecretKeySchema,
} satisfies RouteContract;

const revokeSecretKeyRoute = {
  summary: "Revoke an app secret key (scope developer:apps:write)",
  auth: "developer",
  params: secretKeyParams,
  response: revokedAppSecretKeySchema,
} satisfies RouteContract;

const createFeatureRoute = {
  summary: "Create a feature from its manifest (scope developer:features:write)",
  auth: "developer",
  params: appParams,
  body: featureManifestSchema,
  status: 201,
  response: createdFeatureSchema,
} satisfies RouteContract;

const listFeaturesRoute = {
  summary: "An app's features (scope developer:features:read)",
  auth: "developer",
  params: appParams,
  response: featureListSchema,
} satisfies RouteContract;

const patchFeatureRoute = {
  summary: "Change a feature: a JSON Merge Patch of its manifest (scope developer:features:write)",
  description:
    'RFC 7386: `{"policy":{"max_output_tokens":512}}` changes that setting alone, `null` removes a field, ' +
    "arrays replace; the merged manifest is validated whole.",
  auth: "developer",
  params: featureParams,
  body: patchFeatureBody,
  bodyTypes: ["application/merge-patch+json"],
  response: featureSchema,
} satisfies RouteContract;

const archiveFeatureRoute = {
  summary: "Archive a feature; the Gateway serves active features only (scope developer:features:write)",
  auth: "developer",
  params: featureParams,
  response: featureSchema,
} satisfies RouteContract;

const appToWire = (row: AppRow): DeveloperApp => ({
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

  app.post("/v1/developer/apps", withContract(createAppRoute, appsWrite), async (request, reply) => {
    const body = createAppRoute.body.parse(request.body);
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

  app.get("/v1/developer/apps", withContract(listAppsRoute, appsRead), async (request) => {
    const { developer_id } = listAppsRoute.query.parse(request.query);
    const developerId = actingDeveloperId(developerOf(request), developer_id, "developer_id", "optional");
    return { items: (await listApps(db, developerId)).map(appToWire) };
  });

  app.patch("/v1/developer/apps/:publicAppId", withContract(patchAppRoute, appsWrite), async (request) => {
    const { publicAppId } = patchAppRoute.params.parse(request.params);
    const body = patchAppRoute.body.parse(request.body);
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
  app.delete("/v1/developer/apps/:publicAppId", withContract(archiveAppRoute, appsWrite), async (request) => {
    const { publicAppId } = archiveAppRoute.params.parse(request.params);
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
  const secretKeys = "/v1/developer/apps/:publicAppId/secret-keys";
  app.post(secretKeys, withContract(createSecretKeyRoute, appsWrite), async (request, reply) => {
    const { publicAppId } = createSecretKeyRoute.params.parse(request.params);
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

  app.delete(`${secretKeys}/:id`, withContract(revokeSecretKeyRoute, appsWrite), async (request) => {
    const { publicAppId, id } = revokeSecretKeyRoute.params.parse(request.params);
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

  const features = "/v1/developer/apps/:publicAppId/features";
  app.post(features, withContract(createFeatureRoute, featuresWrite), async (request, reply) => {
    const { publicAppId } = createFeatureRoute.params.parse(request.params);
    const manifest = createFeatureRoute.body.parse(request.body);
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

  app.get(features, withContract(listFeaturesRoute, featuresRead), async (request) => {
    const { publicAppId } = listFeaturesRoute.params.parse(request.params);
    const appRow = await findActiveApp(db, tenant(request), publicAppId);
    return { items: (await listFeatures(db, appRow)).map((row) => featureToWire(publicAppId, row)) };
  });

  app.patch(`${features}/:featureKey`, withContract(patchFeatureRoute, featuresWrite), async (request) => {
    const { publicAppId, featureKey } = patchFeatureRoute.params.parse(request.params);
    const body = patchFeatureRoute.body.parse(request.body);
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
  app.delete(`${features}/:featureKey`, withContract(archiveFeatureRoute, featuresWrite), async (request) => {
    const { publicAppId, featureKey } = archiveFeatureRoute.params.parse(request.params);
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
