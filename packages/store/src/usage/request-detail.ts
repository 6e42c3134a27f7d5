import type { RequestDetail } from "@modelfaucet/contract";
import { AppError, formatUsd } from "@modelfaucet/core";
import type { Queryable } from "@modelfaucet/db";
import type { Tenant } from "../tenant.js";
import { findUsageEventByRequestId, recordedAttempts } from "./usage-event-by-request-id.js";

const usd = (units: string) => formatUsd(BigInt(units));

/**
 * The dashboard's request detail: one billed request of the tenant's
 * developer by its x-request-id (the same event GET /v1/generation finds).
 * Another developer's request is 404 `not_found`, exactly as an unknown one.
 */
export async function requestDetail(q: Queryable, tenant: Tenant, requestId: string): Promise<RequestDetail> {
  const row = await findUsageEventByRequestId(q, { kind: "developer", tenant }, requestId);
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
    attempts: recordedAttempts<RequestDetail["attempts"][number]>(row.attempts),
    created_at: row.created_at.toISOString(),
  };
}
