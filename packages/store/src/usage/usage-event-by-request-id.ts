import type { RouteMode } from "@modelfaucet/core";
import type { Queryable } from "@modelfaucet/db";
import type { Tenant } from "../tenant.js";

/**
 * Whose requests a lookup may find:
 * - an end user's session: that end user's requests in that app (a renewed
 *   session is the same user);
 * - a developer: their apps' requests (`tenant` null: the bootstrap
 *   DEVELOPER_ADMIN_TOKEN, any developer's).
 */
export type UsageEventViewer =
  { kind: "end_user"; appId: string; endUserId: string } | { kind: "developer"; tenant: Tenant };

/** A usage event as stored; money columns as integer strings of 1e-8 USD units. */
export interface StoredUsageEvent {
  request_id: string;
  app_id: string;
  feature_key: string | null;
  route_mode: RouteMode;
  provider: string;
  model: string;
  stream: boolean;
  outcome: string;
  usage_source: string;
  input_tokens: number;
  cached_tokens: number;
  output_tokens: number;
  cost_units: string;
  retail_units: string;
  developer_units: string;
  platform_units: string;
  held_units: string;
  attempts: unknown;
  latency_ms: number | null;
  redacted_items: number;
  /** Answered from the response cache (migration 0020). */
  cached: boolean;
  created_at: Date;
}

/**
 * One billed request by its x-request-id, as `viewer` may see it; undefined
 * when it is not theirs or does not exist (callers answer both alike, 404).
 * The id is the caller's to choose, so it can repeat: the latest request of
 * the viewer's with it is the one found — the same answer for the end user's
 * lookup and the developer's. Tenancy is in the statement, over
 * usage_events_request_id_idx.
 */
export async function findUsageEventByRequestId(
  q: Queryable,
  viewer: UsageEventViewer,
  requestId: string,
): Promise<StoredUsageEvent | undefined> {
  const values: unknown[] = [requestId];
  const tenancy =
    viewer.kind === "end_user"
      ? `AND app_id = $${values.push(viewer.appId)} AND end_user_id = $${values.push(viewer.endUserId)}`
      : viewer.tenant === null
        ? ""
        : `AND developer_id = $${values.push(viewer.tenant)}`;
  const { rows } = await q.query<StoredUsageEvent>(
    `SELECT request_id, app_id, feature_key, route_mode, provider, model, stream, outcome, usage_source,
            input_tokens, cached_tokens, output_tokens, cost_units::text, retail_units::text, developer_units::text,
            platform_units::text, held_units::text, attempts, latency_ms, redacted_items, cached, created_at
       FROM usage_events WHERE request_id = $1 ${tenancy} ORDER BY created_at DESC, id DESC LIMIT 1`,
    values,
  );
  return rows[0];
}

/** The attempts as recorded: the retries and fallbacks of one request, in order. */
export function recordedAttempts<Attempt>(recorded: unknown): Attempt[] {
  return Array.isArray(recorded) ? (recorded as Attempt[]) : [];
}
