import { AppError, isSafeText } from "@modelfaucet/core";

/**
 * The SQL of the developer usage views, as statements usage-queries.ts runs and
 * `scripts/measure-usage-pagination.ts` EXPLAINs. Each optional filter adds
 * its condition to the text instead of `($n IS NULL OR …)`: a prepared
 * statement's generic plan cannot drop such a branch, and the keyset
 * condition would then be a filter over every newer row instead of an index
 * bound — deep pages would read the whole app.
 */
export interface Statement {
  sql: string;
  values: unknown[];
}

/** Where a page ends: the last row's `created_at` at full (microsecond) precision, as PostgreSQL prints it, and its id. */
export type UsageCursor = [createdAt: string, id: string];

export const usageCursor = {
  encode: (cursor: UsageCursor) => Buffer.from(JSON.stringify(cursor)).toString("base64url"),
  decode(value: string): UsageCursor {
    try {
      const parsed: unknown = JSON.parse(Buffer.from(value, "base64url").toString());
      if (
        Array.isArray(parsed) &&
        parsed.length === 2 &&
        parsed.every((part) => typeof part === "string" && part.length <= 100 && isSafeText(part)) &&
        !Number.isNaN(Date.parse(parsed[0] as string))
      ) {
        return [parsed[0] as string, parsed[1] as string];
      }
    } catch {
      // fall through to the error below
    }
    throw new AppError("invalid_request", "cursor: not a cursor returned by this endpoint.");
  },
};

export interface UsagePageInput {
  appId: string;
  developerId: string;
  from: string | undefined;
  to: string | undefined;
  after: UsageCursor | undefined;
  /** Rows to read: the page size plus one, to know whether there is a next page. */
  limit: number;
}

/**
 * One page of an app's usage events, newest first, keyset-paginated on
 * (created_at, id): served by usage_events_app_created_idx whatever the depth.
 * `created_at_text` is the cursor's exact timestamp (a JS Date keeps only
 * milliseconds; a cursor rounded to them would skip rows).
 */
export function usagePageStatement(input: UsagePageInput): Statement {
  const values: unknown[] = [input.appId, input.developerId];
  const conditions = ["app_id = $1", "developer_id = $2"];
  if (input.from) conditions.push(`created_at >= $${values.push(input.from)}`);
  if (input.to) conditions.push(`created_at < $${values.push(input.to)}`);
  if (input.after) {
    const at = values.push(input.after[0]);
    const id = values.push(input.after[1]);
    conditions.push(`(created_at, id) < ($${at}::timestamptz, $${id})`);
  }
  return {
    sql: `SELECT id, request_id, feature_key, route_mode, provider, model, input_tokens, cached_tokens, output_tokens,
            retail_units::text, developer_units::text, created_at, created_at::text AS created_at_text
          FROM usage_events WHERE ${conditions.join(" AND ")}
          ORDER BY created_at DESC, id DESC LIMIT $${values.push(input.limit)}`,
    values,
  };
}

/**
 * What revenue can be grouped by: the SQL expression rows are grouped on, and
 * the group's key as shown (computed once per group, not per row).
 */
export const REVENUE_GROUPS = {
  day: {
    groupOn: "date_trunc('day', created_at AT TIME ZONE 'UTC')",
    key: "to_char(date_trunc('day', created_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD')",
  },
  feature: { groupOn: "coalesce(feature_key, '')", key: "coalesce(feature_key, '')" },
  route_mode: { groupOn: "route_mode", key: "route_mode" },
  model: { groupOn: "model", key: "model" },
} as const;

export type RevenueGroup = keyof typeof REVENUE_GROUPS;

/** Most groups one answer holds (e.g. ten years of days). */
export const MAX_REVENUE_GROUPS = 3660;

/**
 * A developer's usage totals in [from, to): one row, or one per group when
 * `groupBy` is given (rows carry `key`). Served by
 * usage_events_developer_created_idx for the range. Group keys come from
 * REVENUE_GROUPS only, never from input.
 */
export function revenueStatement(input: {
  developerId: string;
  from: string | undefined;
  to: string | undefined;
  groupBy: RevenueGroup | undefined;
}): Statement {
  const values: unknown[] = [input.developerId];
  const conditions = ["developer_id = $1"];
  if (input.from) conditions.push(`created_at >= $${values.push(input.from)}`);
  if (input.to) conditions.push(`created_at < $${values.push(input.to)}`);
  const group = input.groupBy ? REVENUE_GROUPS[input.groupBy] : undefined;
  const key = group ? `${group.key} AS key, ` : "";
  const grouping = group ? `GROUP BY ${group.groupOn} ORDER BY ${group.groupOn} LIMIT ${MAX_REVENUE_GROUPS + 1}` : "";
  return {
    sql: `SELECT ${key}count(*)::text AS requests, coalesce(sum(retail_units), 0)::text AS retail,
            coalesce(sum(developer_units), 0)::text AS earned
          FROM usage_events WHERE ${conditions.join(" AND ")} ${grouping}`,
    values,
  };
}
