import { formatUsd } from "@modelfaucet/core";
import type { Queryable } from "@modelfaucet/db";
import { csvRecord } from "./csv.js";
import type { DateRange } from "./date-range.js";
import { EXACT_CREATED_AT, keysetBatches } from "./keyset-batches.js";

export const USAGE_COLUMNS = [
  "created_at",
  "usage_event_id",
  "request_id",
  "developer_id",
  "app_id",
  "end_user_id",
  "feature_key",
  "route_mode",
  "provider",
  "model",
  "stream",
  "outcome",
  "usage_source",
  "input_tokens",
  "cached_tokens",
  "output_tokens",
  "cost_usd",
  "retail_usd",
  "developer_usd",
  "platform_usd",
] as const;

interface UsageRow {
  cursor_at: string;
  id: string;
  request_id: string;
  developer_id: string;
  app_id: string;
  end_user_id: string;
  feature_key: string | null;
  route_mode: string;
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
}

const USAGE_BATCH = `
  SELECT ${EXACT_CREATED_AT} AS cursor_at, id, request_id, developer_id, app_id, end_user_id, feature_key,
         route_mode, provider, model, stream, outcome, usage_source, input_tokens, cached_tokens, output_tokens,
         cost_units::text AS cost_units, retail_units::text AS retail_units,
         developer_units::text AS developer_units, platform_units::text AS platform_units
  FROM usage_events
  WHERE (created_at, id) > ($2::timestamptz, $3::text) AND created_at < $1::timestamptz
  ORDER BY created_at, id
  LIMIT $4`;

/** usage.csv: one record per billed request in the range, oldest first; one string per batch. */
export async function* usageReport(db: Queryable, range: DateRange): AsyncGenerator<string> {
  yield csvRecord(USAGE_COLUMNS);
  for await (const rows of keysetBatches<UsageRow>(db, USAGE_BATCH, range)) {
    let chunk = "";
    for (const row of rows) {
      chunk += csvRecord([
        row.cursor_at,
        row.id,
        row.request_id,
        row.developer_id,
        row.app_id,
        row.end_user_id,
        row.feature_key,
        row.route_mode,
        row.provider,
        row.model,
        row.stream,
        row.outcome,
        row.usage_source,
        row.input_tokens,
        row.cached_tokens,
        row.output_tokens,
        formatUsd(BigInt(row.cost_units)),
        formatUsd(BigInt(row.retail_units)),
        formatUsd(BigInt(row.developer_units)),
        formatUsd(BigInt(row.platform_units)),
      ]);
    }
    yield chunk;
  }
}
