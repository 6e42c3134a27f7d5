import type { Generation } from "@modelfaucet/contract";
import { formatUsd } from "@modelfaucet/core";
import type { Queryable } from "@modelfaucet/db";
import { findUsageEventByRequestId, recordedAttempts, type UsageEventViewer } from "./usage-event-by-request-id.js";

/** Who looks a generation up: an end user sees it without the price split, a developer with it. */
export type GenerationViewer = UsageEventViewer;

const usd = (units: string) => formatUsd(BigInt(units));

/** GET /v1/generation/{request_id}: one billed request as `viewer` may see it (findUsageEventByRequestId). */
export async function findGeneration(
  q: Queryable,
  viewer: GenerationViewer,
  requestId: string,
): Promise<Generation | undefined> {
  const row = await findUsageEventByRequestId(q, viewer, requestId);
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
    cached: row.cached,
    created_at: row.created_at.toISOString(),
  };
}

/** An end user's view leaves out which stored key each attempt used (their ids are the developer's). */
function attemptsFor(recorded: unknown, developer: boolean): Generation["attempts"] {
  const attempts = recordedAttempts<Generation["attempts"][number]>(recorded);
  if (developer) return attempts;
  return attempts.map(({ credential_id: _key, ...attempt }) => attempt);
}
