import type { CompanionWrite } from "@modelfaucet/ledger";
import type { Hold, UsageRecord } from "./billing.js";

/**
 * The usage event row of one billed request, written in the same statement
 * (and transaction) as its settlement's transfers: an event exists exactly
 * when its money moved, and its retail_units is what the wallet paid.
 * request_id is unique, so a request is recorded once.
 */
export function usageEventInsert(hold: Hold, record: UsageRecord): CompanionWrite {
  const { usage, charge } = record;
  return {
    sql: `INSERT INTO usage_events (id, request_id, app_id, developer_id, end_user_id, session_id, feature_key,
            route_mode, provider, model, stream, outcome, usage_source, input_tokens, cached_tokens, output_tokens,
            cost_units, retail_units, developer_units, platform_units, held_units, attempts, latency_ms, redacted_items,
            cached)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22,
            $23, $24, $25)`,
    params: [
      hold.usageEventId,
      record.requestId,
      record.session.appId,
      record.session.developerId,
      record.session.endUserId,
      record.session.sessionId,
      record.featureKey,
      record.routeMode,
      record.provider,
      record.model,
      record.stream,
      record.outcome,
      record.usageSource,
      usage.inputTokens,
      usage.cachedInputTokens,
      usage.outputTokens,
      charge.cost.toString(),
      charge.retail.toString(),
      charge.developer.toString(),
      charge.platform.toString(),
      hold.heldUnits.toString(),
      JSON.stringify(record.attempts),
      record.latencyMs === undefined ? null : Math.round(record.latencyMs),
      record.redactedItems ?? 0,
      record.cached === true,
    ],
  };
}
