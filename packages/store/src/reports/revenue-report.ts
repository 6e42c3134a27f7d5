import { formatUsd } from "@modelfaucet/core";
import type { Queryable } from "@modelfaucet/db";
import { csvRecord } from "./csv.js";
import type { DateRange } from "./date-range.js";
import { REPORT_BATCH_ROWS } from "./keyset-batches.js";

export const REVENUE_COLUMNS = [
  "day",
  "developer_id",
  "app_id",
  "feature_key",
  "route_mode",
  "requests",
  "input_tokens",
  "output_tokens",
  "retail_usd",
  "cost_usd",
  "developer_usd",
  "platform_usd",
] as const;

interface RevenueRow {
  developer_id: string;
  app_id: string;
  feature_key: string;
  route_mode: string;
  requests: string;
  input_tokens: string;
  output_tokens: string;
  retail_units: string;
  cost_units: string;
  developer_units: string;
  platform_units: string;
}

const DAY_MS = 86_400_000;

// The first usage at or after $1 (before $2): lets the walk skip empty days.
const NEXT_USAGE = `SELECT ${"to_char(min(created_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD')"} AS day
  FROM usage_events WHERE created_at >= $1::timestamptz AND created_at < $2::timestamptz`;

// One page of a day's groups, after the group key ($3..$6) of the page before.
const DAY_GROUPS = `
  SELECT developer_id, app_id, coalesce(feature_key, '') AS feature_key, route_mode,
         count(*)::text AS requests, sum(input_tokens)::text AS input_tokens,
         sum(output_tokens)::text AS output_tokens, sum(retail_units)::text AS retail_units,
         sum(cost_units)::text AS cost_units, sum(developer_units)::text AS developer_units,
         sum(platform_units)::text AS platform_units
  FROM usage_events
  WHERE created_at >= $1::timestamptz AND created_at < $2::timestamptz
    AND (developer_id, app_id, coalesce(feature_key, ''), route_mode) > ($3::text, $4::text, $5::text, $6::text)
  GROUP BY developer_id, app_id, coalesce(feature_key, ''), route_mode
  ORDER BY developer_id, app_id, coalesce(feature_key, ''), route_mode
  LIMIT $7`;

/**
 * revenue.csv: what usage earned, per UTC day × developer × app × feature ×
 * route mode: retail (what end users paid) = cost + developer + platform.
 * Walks day by day, jumping over days without usage, and pages each day's
 * groups, so memory stays bounded by one page whatever the range.
 */
export async function* revenueReport(db: Queryable, range: DateRange): AsyncGenerator<string> {
  yield csvRecord(REVENUE_COLUMNS);
  let cursor = range.from;
  while (cursor < range.to) {
    const { rows } = await db.query<{ day: string | null }>(NEXT_USAGE, [cursor.toISOString(), range.to.toISOString()]);
    const day = rows[0]?.day;
    if (!day) return;
    const dayStart = new Date(`${day}T00:00:00Z`);
    const start = dayStart < range.from ? range.from : dayStart;
    const dayEnd = new Date(dayStart.getTime() + DAY_MS);
    const end = dayEnd < range.to ? dayEnd : range.to;
    yield* dayGroups(db, day, start, end);
    cursor = end;
  }
}

async function* dayGroups(db: Queryable, day: string, start: Date, end: Date): AsyncGenerator<string> {
  let after = ["", "", "", ""];
  for (;;) {
    const { rows } = await db.query<RevenueRow>(DAY_GROUPS, [
      start.toISOString(),
      end.toISOString(),
      ...after,
      REPORT_BATCH_ROWS,
    ]);
    let chunk = "";
    for (const row of rows) {
      chunk += csvRecord([
        day,
        row.developer_id,
        row.app_id,
        row.feature_key,
        row.route_mode,
        row.requests,
        row.input_tokens,
        row.output_tokens,
        formatUsd(BigInt(row.retail_units)),
        formatUsd(BigInt(row.cost_units)),
        formatUsd(BigInt(row.developer_units)),
        formatUsd(BigInt(row.platform_units)),
      ]);
    }
    if (chunk) yield chunk;
    if (rows.length < REPORT_BATCH_ROWS) return;
    const last = rows[rows.length - 1]!;
    after = [last.developer_id, last.app_id, last.feature_key, last.route_mode];
  }
}
