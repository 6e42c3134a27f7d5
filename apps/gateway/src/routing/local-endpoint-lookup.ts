import type { Queryable } from "@modelfaucet/db";

/**
 * Whether an end user registered any local model endpoint
 * (`POST /v1/local/endpoints`). Only the metadata row is read: the cloud never
 * connects to a local endpoint.
 */
export async function hasLocalEndpoint(db: Queryable, endUserId: string): Promise<boolean> {
  const { rows } = await db.query("SELECT 1 FROM local_endpoints WHERE end_user_id = $1 LIMIT 1", [endUserId]);
  return rows.length > 0;
}
