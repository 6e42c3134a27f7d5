import { MAX_LOCAL_ENDPOINTS, type LocalEndpoint } from "@modelfaucet/contract";
import { AppError } from "@modelfaucet/core";
import { newId } from "@modelfaucet/crypto";
import type { Database, Queryable } from "@modelfaucet/db";

/**
 * The metadata of an end user's local models (`local_endpoints`), only ever
 * read and written for the end user whose session asks: the cloud never
 * calls these endpoints.
 */
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

/** A local endpoint to register: `baseUrl` already checked storable (no credentials, query or fragment). */
export interface NewLocalEndpoint {
  endUserId: string;
  appId: string;
  name: string;
  runtime: LocalEndpoint["runtime"];
  models: readonly string[];
  baseUrl: string | null;
}

/**
 * Registers the endpoint, or replaces the user's endpoint of the same name;
 * 409 `conflict` when the user already has MAX_LOCAL_ENDPOINTS others.
 */
export async function registerLocalEndpoint(db: Database, endpoint: NewLocalEndpoint): Promise<LocalEndpoint> {
  const row = await db.transaction(async (tx) => {
    // Serialize one user's registrations so the count check holds under concurrency.
    await tx.query("SELECT id FROM end_users WHERE id = $1 FOR UPDATE", [endpoint.endUserId]);
    const { rows: counted } = await tx.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM local_endpoints WHERE end_user_id = $1 AND name <> $2",
      [endpoint.endUserId, endpoint.name],
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
      [
        newId("lep"),
        endpoint.endUserId,
        endpoint.appId,
        endpoint.name,
        endpoint.runtime,
        endpoint.models,
        endpoint.baseUrl,
      ],
    );
    return rows[0]!;
  });
  return toWire(row);
}

/** The end user's endpoints, oldest first. */
export async function listLocalEndpoints(q: Queryable, endUserId: string): Promise<LocalEndpoint[]> {
  const { rows } = await q.query<LocalEndpointRow>(
    `SELECT ${COLUMNS} FROM local_endpoints WHERE end_user_id = $1 ORDER BY created_at, id LIMIT ${MAX_LOCAL_ENDPOINTS}`,
    [endUserId],
  );
  return rows.map(toWire);
}
