import { AppError } from "@modelfaucet/core";
import { newId } from "@modelfaucet/crypto";
import type { Database } from "@modelfaucet/db";
import {
  localEndpointBody,
  localEndpointListSchema,
  localEndpointSchema,
  MAX_LOCAL_ENDPOINTS,
  type LocalEndpoint,
} from "@modelfaucet/contract";
import { bearerToken, type RouteContract, withContract, type SessionAuthenticator } from "@modelfaucet/server-kit";
import type { FastifyInstance } from "fastify";

const registerEndpoint = {
  summary: "Register (or replace, by name) the metadata of one of the end user's local models",
  description: `At most ${MAX_LOCAL_ENDPOINTS} per user. The cloud never calls them; \`base_url\` must be http(s) without credentials, query or fragment.`,
  auth: "session",
  body: localEndpointBody,
  status: 201,
  response: localEndpointSchema,
} satisfies RouteContract;

const listEndpoints = {
  summary: "The end user's local endpoints, oldest first",
  auth: "session",
  response: localEndpointListSchema,
} satisfies RouteContract;

/**
 * The base_url as stored: an http(s) URL without credentials, query or
 * fragment — the places a token would hide — so storing and showing it can
 * never leak a secret. It is never dialled: no URL guard, no DNS.
 */
function storableBaseUrl(value: string | undefined): string | null {
  if (value === undefined) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new AppError("invalid_request", "base_url: must be an http or https URL.");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new AppError("invalid_request", "base_url: must be an http or https URL.");
  }
  if (url.username !== "" || url.password !== "" || url.search !== "" || url.hash !== "") {
    throw new AppError("invalid_request", "base_url: must not contain credentials, a query or a fragment.");
  }
  return url.toString();
}

interface LocalEndpointRow {
  id: string;
  name: string;
  runtime: LocalEndpoint["runtime"];
  models: string[];
  base_url: string | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = "id, name, runtime, models, base_url, created_at, updated_at";

const toWire = (row: LocalEndpointRow): LocalEndpoint => ({
  id: row.id,
  name: row.name,
  runtime: row.runtime,
  models: row.models,
  base_url: row.base_url,
  created_at: row.created_at.toISOString(),
  updated_at: row.updated_at.toISOString(),
});

export interface LocalEndpointsOptions {
  db: Database;
  sessions: SessionAuthenticator;
}

/**
 * `POST|GET /v1/local/endpoints` (session): the metadata of an end user's
 * local models, so a `local`-first feature can tell the caller to use the
 * Local Bridge. The cloud never calls these endpoints. Registering an
 * existing name replaces that entry.
 */
export async function localEndpointsRoutes(app: FastifyInstance, { db, sessions }: LocalEndpointsOptions) {
  app.post("/v1/local/endpoints", withContract(registerEndpoint), async (request, reply) => {
    const session = await sessions.authenticate(bearerToken(request));
    const body = registerEndpoint.body.parse(request.body);
    const baseUrl = storableBaseUrl(body.base_url);
    const models = [...new Set(body.models)];
    const row = await db.transaction(async (tx) => {
      // Serialize one user's registrations so the count check holds under concurrency.
      await tx.query("SELECT id FROM end_users WHERE id = $1 FOR UPDATE", [session.endUserId]);
      const { rows: counted } = await tx.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM local_endpoints WHERE end_user_id = $1 AND name <> $2",
        [session.endUserId, body.name],
      );
      if ((counted[0]?.n ?? 0) >= MAX_LOCAL_ENDPOINTS) {
        throw new AppError("conflict", `At most ${MAX_LOCAL_ENDPOINTS} local endpoints per user.`);
      }
      const { rows } = await tx.query<LocalEndpointRow>(
        `INSERT INTO local_endpoints (id, end_user_id, app_id, name, runtime, models, base_url)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (end_user_id, name) DO UPDATE
           SET runtime = EXCLUDED.runtime, models = EXCLUDED.models, base_url = EXCLUDED.base_url, updated_at = now()
         RETURNING ${COLUMNS}`,
        [newId("lep"), session.endUserId, session.appId, body.name, body.runtime, models, baseUrl],
      );
      return rows[0]!;
    });
    return reply.code(201).send(toWire(row));
  });

  app.get("/v1/local/endpoints", withContract(listEndpoints), async (request) => {
    const session = await sessions.authenticate(bearerToken(request));
    const { rows } = await db.query<LocalEndpointRow>(
      `SELECT ${COLUMNS} FROM local_endpoints WHERE end_user_id = $1 ORDER BY created_at, id LIMIT ${MAX_LOCAL_ENDPOINTS}`,
      [session.endUserId],
    );
    return { items: rows.map(toWire) };
  });
}
