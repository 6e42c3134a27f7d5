import type { RequestDetail } from "@modelfaucet/contract";
import { AppError, formatUsd, type RouteMode } from "@modelfaucet/core";
import type { Queryable } from "@modelfaucet/db";
import type { Tenant } from "../tenant.js";

interface DetailRow {
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
  created_at: Date;
}

const usd = (units: string) => formatUsd(BigInt(units));

/**
 * One billed request of the tenant's developer, by its x-request-id (the
 * first event when an id was reused). Tenancy is in the statement: another
 * developer's request is 404 `not_found`, exactly as an unknown one.
 */
export async function requestDetail(q: Queryable, tenant: Tenant, requestId: string): Promise<RequestDetail> {
  const values: unknown[] = [requestId];
  const tenancy = tenant === null ? "" : `AND developer_id = $${values.push(tenant)}`;
  const { rows } = await q.query<DetailRow>(
    `SELECT request_id, app_id, feature_key, route_mode, provider, model, stream, outcome, usage_source,
            input_tokens, cached_tokens, output_tokens, cost_units::text, retail_units::text, developer_units::text,
            platform_units::text, held_units::text, attempts, created_at
     FROM usage_events WHERE request_id = $1 ${tenancy} ORDER BY created_at, id LIMIT 1`,
    values,
  );
  const row = rows[0];
  if (!row) throw new AppError("not_found", "No request with this id among your usage.");
  return {
    request_id: row.request_id,
    app_id: row.app_id,
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
    cost_usd: usd(row.cost_units),
    retail_usd: usd(row.retail_units),
    developer_usd: usd(row.developer_units),
    platform_usd: usd(row.platform_units),
    held_usd: usd(row.held_units),
    attempts: Array.isArray(row.attempts) ? (row.attempts as RequestDetail["attempts"]) : [],
    created_at: row.created_at.toISOString(),
  };
}
