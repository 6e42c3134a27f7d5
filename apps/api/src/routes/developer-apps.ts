import {
  AppError,
  featureManifestSchema,
  hashToken,
  newId,
  newToken,
  TOKEN_PREFIX,
  tokenDisplayPrefix,
} from "@modelfaucet/core";
import type { Database, Queryable } from "@modelfaucet/db";
import { requireStaticToken } from "@modelfaucet/server-kit";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";

const createAppBody = z.object({
  developer_id: z.string().regex(/^dev_[A-Za-z0-9_]{1,64}$/, { error: "developer_id must be a developer id (dev_…)" }),
  name: z.string().trim().min(1).max(200),
  // New apps are signed by default: only the app's backend may mint sessions.
  session_mode: z.enum(["public", "signed"]).default("signed"),
});

const appParams = z.object({ publicAppId: z.string().min(1).max(100) });

interface AppRow {
  id: string;
  developer_id: string;
  name: string;
  session_mode: string;
  status: string;
  created_at: Date;
}

const appToWire = (row: AppRow) => ({
  public_app_id: row.id,
  developer_id: row.developer_id,
  name: row.name,
  session_mode: row.session_mode,
  status: row.status,
  created_at: row.created_at.toISOString(),
});

async function audit(
  q: Queryable,
  request: FastifyRequest,
  developerId: string,
  action: string,
  type: string,
  id: string,
) {
  await q.query(
    `INSERT INTO audit_logs (actor_type, developer_id, action, resource_type, resource_id, request_id)
     VALUES ('admin', $1, $2, $3, $4, $5)`,
    [developerId, action, type, id, request.id],
  );
}

async function activeApp(q: Queryable, appId: string): Promise<AppRow> {
  const { rows } = await q.query<AppRow>("SELECT * FROM apps WHERE id = $1", [appId]);
  const app = rows[0];
  if (!app) throw new AppError("invalid_app", "Unknown app.");
  if (app.status !== "active") throw new AppError("invalid_app", "This app is archived.", { status: 403 });
  return app;
}

export interface DeveloperAppsOptions {
  db: Database;
  developerAdminToken: string | undefined;
}

/**
 * Apps, their secret keys and features, behind the bootstrap
 * DEVELOPER_ADMIN_TOKEN (acting for any developer, named in the request)
 * until scoped developer tokens exist.
 */
export async function developerAppsRoutes(app: FastifyInstance, { db, developerAdminToken }: DeveloperAppsOptions) {
  app.addHook("onRequest", requireStaticToken(developerAdminToken, "DEVELOPER_ADMIN_TOKEN"));

  app.post("/v1/developer/apps", async (request, reply) => {
    const body = createAppBody.parse(request.body);
    const id = newId("app");
    const row = await db.transaction(async (tx) => {
      const developer = await tx.query("SELECT 1 FROM developers WHERE id = $1", [body.developer_id]);
      if (developer.rows.length === 0) throw new AppError("not_found", "Unknown developer_id.");
      const { rows } = await tx.query<AppRow>(
        "INSERT INTO apps (id, developer_id, name, session_mode) VALUES ($1, $2, $3, $4) RETURNING *",
        [id, body.developer_id, body.name, body.session_mode],
      );
      await audit(tx, request, body.developer_id, "app.create", "app", id);
      return rows[0]!;
    });
    return reply.code(201).send(appToWire(row));
  });

  app.get("/v1/developer/apps", async (request) => {
    const { developer_id } = z.object({ developer_id: z.string().max(100).optional() }).parse(request.query);
    const { rows } = await db.query<AppRow>(
      "SELECT * FROM apps WHERE ($1::text IS NULL OR developer_id = $1) ORDER BY created_at, id LIMIT 500",
      [developer_id ?? null],
    );
    return { items: rows.map(appToWire) };
  });

  /** A new server-side secret for `signed` session mode; the key is in this response only. */
  app.post("/v1/developer/apps/:publicAppId/secret-keys", async (request, reply) => {
    const { publicAppId } = appParams.parse(request.params);
    const key = newToken(TOKEN_PREFIX.appSecretKey);
    const id = newId("ask");
    const created = await db.transaction(async (tx) => {
      const appRow = await activeApp(tx, publicAppId);
      const { rows } = await tx.query<{ created_at: Date }>(
        "INSERT INTO app_secret_keys (id, app_id, key_hash, key_prefix) VALUES ($1, $2, $3, $4) RETURNING created_at",
        [id, publicAppId, hashToken(key), tokenDisplayPrefix(key, TOKEN_PREFIX.appSecretKey)],
      );
      await audit(tx, request, appRow.developer_id, "app_secret_key.create", "app_secret_key", id);
      return rows[0]!;
    });
    return reply.code(201).send({
      id,
      public_app_id: publicAppId,
      secret_key: key,
      prefix: tokenDisplayPrefix(key, TOKEN_PREFIX.appSecretKey),
      created_at: created.created_at.toISOString(),
    });
  });

  app.post("/v1/developer/apps/:publicAppId/features", async (request, reply) => {
    const { publicAppId } = appParams.parse(request.params);
    const manifest = featureManifestSchema.parse(request.body);
    await db.transaction(async (tx) => {
      const appRow = await activeApp(tx, publicAppId);
      const inserted = await tx.query(
        `INSERT INTO app_features (app_id, feature_key, display_name, policy, pricing) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT DO NOTHING`,
        [
          publicAppId,
          manifest.feature_key,
          manifest.display_name,
          JSON.stringify(manifest.policy),
          JSON.stringify(manifest.pricing),
        ],
      );
      if (inserted.rowCount === 0) throw new AppError("conflict", `Feature "${manifest.feature_key}" already exists.`);
      await audit(
        tx,
        request,
        appRow.developer_id,
        "feature.create",
        "feature",
        `${publicAppId}/${manifest.feature_key}`,
      );
    });
    return reply.code(201).send({ public_app_id: publicAppId, ...manifest, status: "active" });
  });

  app.get("/v1/developer/apps/:publicAppId/features", async (request) => {
    const { publicAppId } = appParams.parse(request.params);
    await activeApp(db, publicAppId);
    const { rows } = await db.query<{
      feature_key: string;
      display_name: string;
      policy: unknown;
      pricing: unknown;
      status: string;
    }>(
      "SELECT feature_key, display_name, policy, pricing, status FROM app_features WHERE app_id = $1 ORDER BY feature_key",
      [publicAppId],
    );
    return { items: rows.map((row) => ({ public_app_id: publicAppId, ...row })) };
  });
}
