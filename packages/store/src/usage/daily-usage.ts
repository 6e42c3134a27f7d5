import type { DailyUsage, DailyUsageBy } from "@modelfaucet/contract";
import { AppError, formatUsd, type RouteMode } from "@modelfaucet/core";
import type { Queryable } from "@modelfaucet/db";
import type { Tenant } from "../tenant.js";

/** Which rows count: the window (UTC days, both included) and optional filters. */
export interface DailyUsageInput {
  /** A developer's usage, or null for the whole platform. */
  tenant: Tenant;
  from: string;
  to: string;
  by: DailyUsageBy;
  appId?: string | undefined;
  featureKey?: string | undefined;
  routeMode?: RouteMode | undefined;
  model?: string | undefined;
}

/** The split's column; the same name in usage_daily and usage_events (where a null feature reads as ''). */
const KEY_COLUMN = {
  route_mode: "route_mode",
  feature: "coalesce(feature_key, '')",
  model: "model",
  app: "app_id",
} as const satisfies Record<DailyUsageBy, string>;

interface DailyRow {
  day: string;
  key: string;
  requests: string;
  failed: string;
  input_tokens: string;
  output_tokens: string;
  cost: string;
  retail: string;
  developer: string;
  platform: string;
}

/**
 * The conditions shared by both halves, added to the text only when set (a
 * generic plan keeps every `$n IS NULL OR …` branch and loses the index).
 */
function filterConditions(input: DailyUsageInput, values: unknown[]): string[] {
  const conditions: string[] = [];
  if (input.tenant !== null) conditions.push(`developer_id = $${values.push(input.tenant)}`);
  if (input.appId) conditions.push(`app_id = $${values.push(input.appId)}`);
  if (input.featureKey) conditions.push(`coalesce(feature_key, '') = $${values.push(input.featureKey)}`);
  if (input.routeMode) conditions.push(`route_mode = $${values.push(input.routeMode)}`);
  if (input.model) conditions.push(`model = $${values.push(input.model)}`);
  return conditions;
}

/**
 * Requests, tokens and the price split per UTC day and split key, from
 * usage_daily for what the worker has rolled up and from usage_events for
 * the rest (at or after usage_rollup_state.rolled_up_to), in one statement so
 * both halves read the same snapshot: exact whether or not the worker is
 * behind. Tenancy is in the SQL: a developer's query never reads another
 * developer's rows.
 */
export async function dailyUsage(q: Queryable, input: DailyUsageInput): Promise<DailyUsage> {
  const values: unknown[] = [input.from, input.to];
  const filters = filterConditions(input, values);
  const where = (conditions: string[]) => [...conditions, ...filters].join(" AND ");
  const key = KEY_COLUMN[input.by];
  const { rows } = await q.query<DailyRow>(
    `WITH state AS (SELECT rolled_up_to FROM usage_rollup_state),
     parts AS (
       SELECT day, ${key} AS key, requests, failed, input_tokens, output_tokens,
              cost_units, retail_units, developer_units, platform_units
       FROM usage_daily WHERE ${where(["day >= $1::date", "day <= $2::date"])}
       UNION ALL
       SELECT (created_at AT TIME ZONE 'UTC')::date, ${key}, 1, (outcome = 'upstream_failed')::int, input_tokens,
              output_tokens, cost_units, retail_units, developer_units, platform_units
       FROM usage_events
       WHERE ${where([
         "created_at >= greatest((SELECT rolled_up_to FROM state), $1::date AT TIME ZONE 'UTC')",
         "created_at < ($2::date + 1) AT TIME ZONE 'UTC'",
       ])})
     SELECT to_char(day, 'YYYY-MM-DD') AS day, key, sum(requests)::text AS requests, sum(failed)::text AS failed,
            sum(input_tokens)::text AS input_tokens, sum(output_tokens)::text AS output_tokens,
            sum(cost_units)::text AS cost, sum(retail_units)::text AS retail, sum(developer_units)::text AS developer,
            sum(platform_units)::text AS platform
     FROM parts GROUP BY day, key ORDER BY day, key`,
    values,
  );
  // Informational only (the sums above read the bound in their own snapshot).
  const rolledUpTo = await rollupBound(q);
  return {
    from: input.from,
    to: input.to,
    by: input.by,
    rolled_up_to: rolledUpTo ? rolledUpTo.toISOString() : null,
    items: rows.map((row) => ({
      day: row.day,
      key: row.key,
      requests: Number(row.requests),
      failed: Number(row.failed),
      input_tokens: Number(row.input_tokens),
      output_tokens: Number(row.output_tokens),
      cost_usd: formatUsd(BigInt(row.cost)),
      retail_usd: formatUsd(BigInt(row.retail)),
      developer_usd: formatUsd(BigInt(row.developer)),
      platform_usd: formatUsd(BigInt(row.platform)),
    })),
  };
}

async function rollupBound(q: Queryable): Promise<Date | null> {
  const { rows } = await q.query<{ rolled_up_to: Date | null }>(
    "SELECT nullif(rolled_up_to, '-infinity') AS rolled_up_to FROM usage_rollup_state",
  );
  return rows[0]?.rolled_up_to ?? null;
}

const DAY_MS = 86_400_000;

/**
 * The window of a daily usage query: `to` defaults to today (UTC), `from` to
 * 29 days before `to`; 400 `invalid_request` when `from` is after `to` or the
 * window is longer than `maxDays`.
 */
export function dailyUsageWindow(
  from: string | undefined,
  to: string | undefined,
  maxDays: number,
  now = new Date(),
): { from: string; to: string } {
  const last = to ?? now.toISOString().slice(0, 10);
  const first = from ?? new Date(Date.parse(last) - 29 * DAY_MS).toISOString().slice(0, 10);
  const days = (Date.parse(last) - Date.parse(first)) / DAY_MS + 1;
  if (days < 1) throw new AppError("invalid_request", "from: must not be after to.");
  if (days > maxDays) throw new AppError("invalid_request", `from, to: at most ${maxDays} days at once.`);
  return { from: first, to: last };
}
