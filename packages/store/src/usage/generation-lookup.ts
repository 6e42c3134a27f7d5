import type { Generation } from "@modelfaucet/contract";
import { formatUsd, type RouteMode } from "@modelfaucet/core";
import type { Queryable } from "@modelfaucet/db";
import type { Tenant } from "../tenant.js";

/**
 * Who looks a generation up, and so which requests exist for them:
 * - an end user's session sees that end user's requests in that app (a
 *   renewed session is the same user), without the price split;
 * - a developer sees their apps' requests with the split (`tenant` null: the
 *   bootstrap DEVELOPER_ADMIN_TOKEN, any developer's).
 */
export type GenerationViewer =
  { kind: "end_user"; appId: string; endUserId: string } | { kind: "developer"; tenant: Tenant };

interface GenerationRow {
  request_id: string;
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
  attempts: unknown;
  latency_ms: number | null;
  redacted_items: number;
  created_at: Date;
}

const usd = (units: string) => formatUsd(BigInt(units));

/**
 * One billed request by its x-request-id, as `viewer` may see it; undefined
 * when it is not theirs or does not exist (the route answers both alike,
 * 404). The id is the caller's to choose, so it can repeat: the latest
 * request of the viewer's with it is answered. Tenancy is in the statement,
 * over usage_events_request_id_idx.
 */
export async function findGeneration(
  q: Queryable,
  viewer: GenerationViewer,
  requestId: string,
): Promise<Generation | undefined> {
  const values: unknown[] = [requestId];
  const tenancy =
    viewer.kind === "end_user"
      ? `AND app_id = $${values.push(viewer.appId)} AND end_user_id = $${values.push(viewer.endUserId)}`
      : viewer.tenant === null
        ? ""
        : `AND developer_id = $${values.push(viewer.tenant)}`;
  const { rows } = await q.query<GenerationRow>(
    `SELECT request_id, feature_key, route_mode, provider, model, stream, outcome, usage_source, input_tokens,
            cached_tokens, output_tokens, cost_units::text, retail_units::text, developer_units::text,
            platform_units::text, attempts, latency_ms, redacted_items, created_at
       FROM usage_events WHERE request_id = $1 ${tenancy} ORDER BY created_at DESC, id DESC LIMIT 1`,
    values,
  );
  const row = rows[0];
  if (!row) return undefined;
  const developer = viewer.kind === "developer";
  const price = usd(row.retail_units);
  return {
    request_id: row.request_id,
    feature_key: row.feature_key,
    route_mode: row.route_mode,
    provider: row.provider,
    model: row.model,
    stream: row.stream,
    outcome: row.outcome,
    usage_source: row.usage_source,
    input_tokens: row.input_tokens,
    cached_tokens: row.cached_tokens,
    output_tokens: row.output_tokens,
    total_tokens: row.input_tokens + row.output_tokens,
    price_usd: price,
    cost: Number(price),
    split: developer
      ? {
          cost_usd: usd(row.cost_units),
          developer_usd: usd(row.developer_units),
          platform_usd: usd(row.platform_units),
        }
      : null,
    attempts: attemptsFor(row.attempts, developer),
    latency_ms: row.latency_ms,
    redacted_items: row.redacted_items,
    created_at: row.created_at.toISOString(),
  };
}

/** The attempts as recorded; an end user's view leaves out which stored key each used (their ids are the developer's). */
function attemptsFor(recorded: unknown, developer: boolean): Generation["attempts"] {
  const attempts = Array.isArray(recorded) ? (recorded as Generation["attempts"]) : [];
  if (developer) return attempts;
  return attempts.map(({ credential_id: _key, ...attempt }) => attempt);
}
