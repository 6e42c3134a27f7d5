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
import type { SecretKeyring } from "@modelfaucet/crypto";
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
import {
  archiveApp,
  archiveFeature,
  createApp,
  createAppSecretKey,
  createFeature,
  listApps,
  listFeatures,
  revokeAppSecretKey,
  updateApp,
  updateFeature,
  type App,
  type StoredFeature,
  type StoredManifest,
} from "@modelfaucet/store";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { developerActor } from "../developer-console/developer-actor.js";
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
  summary: "Rename an app, change its session mode or set its limits (scope developer:apps:write)",
  description: "`limits` replaces the app's budgets and per-end-user rates whole; `null` removes them.",
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

const appToWire = (app: App): DeveloperApp => ({
  public_app_id: app.id,
  developer_id: app.developerId,
  name: app.name,
  session_mode: app.sessionMode,
  status: app.status,
  created_at: app.createdAt.toISOString(),
  updated_at: app.updatedAt.toISOString(),
  archived_at: app.archivedAt?.toISOString() ?? null,
  limits: app.limits,
});

const featureToWire = (appId: string, feature: StoredFeature) => ({
  public_app_id: appId,
  feature_key: feature.featureKey,
  display_name: feature.displayName,
  policy: feature.policy,
  pricing: feature.pricing,
  status: feature.status,
  created_at: feature.createdAt.toISOString(),
  updated_at: feature.updatedAt.toISOString(),
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
    const created = await createApp(
      db,
      { developerId, name: body.name, sessionMode: body.session_mode, limits: body.limits },
      developerActor(request),
    );
    return reply.code(201).send(appToWire(created));
  });

  app.get("/v1/developer/apps", withContract(listAppsRoute, appsRead), async (request) => {
    const { developer_id } = listAppsRoute.query.parse(request.query);
    const developerId = actingDeveloperId(developerOf(request), developer_id, "developer_id", "optional");
    return { items: (await listApps(db, developerId)).map(appToWire) };
  });

  app.patch("/v1/developer/apps/:publicAppId", withContract(patchAppRoute, appsWrite), async (request) => {
    const { publicAppId } = patchAppRoute.params.parse(request.params);
    const body = patchAppRoute.body.parse(request.body);
    const change = {
      name: body.name,
      sessionMode: body.session_mode,
      limits: body.limits,
      fields: Object.keys(body).sort(),
    };
    return appToWire(await updateApp(db, tenant(request), publicAppId, change, developerActor(request)));
  });

  /**
   * Archives the app (idempotent). Its sessions stop before the response:
   * every session lookup requires an active app, and the invalidation drops
   * them from the session caches of this process and of the others.
   */
  app.delete("/v1/developer/apps/:publicAppId", withContract(archiveAppRoute, appsWrite), async (request) => {
    const { publicAppId } = archiveAppRoute.params.parse(request.params);
    const archived = await archiveApp(db, tenant(request), publicAppId, developerActor(request));
    // Also when it was archived already: a retry after a failed publish must still reach every cache.
    await sessionInvalidationsOf(db).publish({ appId: publicAppId });
    return appToWire(archived);
  });

  /** A new server-side secret for `signed` session mode; the key is in this response only. */
  const secretKeys = "/v1/developer/apps/:publicAppId/secret-keys";
  app.post(secretKeys, withContract(createSecretKeyRoute, appsWrite), async (request, reply) => {
    const { publicAppId } = createSecretKeyRoute.params.parse(request.params);
    const { secretKey, record } = await createAppSecretKey(
      db,
      tenant(request),
      publicAppId,
      keyring.current,
      developerActor(request),
    );
    return reply.code(201).send({
      id: record.id,
      public_app_id: publicAppId,
      secret_key: secretKey,
      prefix: record.prefix,
      created_at: record.createdAt.toISOString(),
    });
  });

  app.delete(`${secretKeys}/:id`, withContract(revokeSecretKeyRoute, appsWrite), async (request) => {
    const { publicAppId, id } = revokeSecretKeyRoute.params.parse(request.params);
    const revoked = await revokeAppSecretKey(db, tenant(request), publicAppId, id, developerActor(request));
    return {
      id: revoked.id,
      public_app_id: publicAppId,
      prefix: revoked.prefix,
      created_at: revoked.createdAt.toISOString(),
      revoked_at: revoked.revokedAt?.toISOString() ?? null,
    };
  });

  const features = "/v1/developer/apps/:publicAppId/features";
  app.post(features, withContract(createFeatureRoute, featuresWrite), async (request, reply) => {
    const { publicAppId } = createFeatureRoute.params.parse(request.params);
    const manifest = createFeatureRoute.body.parse(request.body);
    await createFeature(db, tenant(request), publicAppId, manifest, developerActor(request));
    return reply.code(201).send({ public_app_id: publicAppId, ...manifest, status: "active" });
  });

  app.get(features, withContract(listFeaturesRoute, featuresRead), async (request) => {
    const { publicAppId } = listFeaturesRoute.params.parse(request.params);
    const items = await listFeatures(db, tenant(request), publicAppId);
    return { items: items.map((feature) => featureToWire(publicAppId, feature)) };
  });

  app.patch(`${features}/:featureKey`, withContract(patchFeatureRoute, featuresWrite), async (request) => {
    const { publicAppId, featureKey } = patchFeatureRoute.params.parse(request.params);
    const body = patchFeatureRoute.body.parse(request.body);
    if (body.feature_key !== undefined && body.feature_key !== featureKey) {
      throw new AppError("invalid_request", "feature_key: cannot be changed; create a new feature instead.");
    }
    const change = {
      merge: (stored: StoredManifest) => featureManifestSchema.parse(applyMergePatch(stored, body)),
      fields: Object.keys(body).sort(),
    };
    const updated = await updateFeature(db, tenant(request), publicAppId, featureKey, change, developerActor(request));
    return featureToWire(publicAppId, updated);
  });

  /** Archives the feature (idempotent): the Gateway serves active features only. */
  app.delete(`${features}/:featureKey`, withContract(archiveFeatureRoute, featuresWrite), async (request) => {
    const { publicAppId, featureKey } = archiveFeatureRoute.params.parse(request.params);
    const archived = await archiveFeature(db, tenant(request), publicAppId, featureKey, developerActor(request));
    return featureToWire(publicAppId, archived);
  });
}
