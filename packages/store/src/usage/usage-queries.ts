import type { Revenue, RevenueGroupBy, UsagePage } from "@modelfaucet/contract";
import { AppError, formatUsd, type RouteMode } from "@modelfaucet/core";
import type { Queryable } from "@modelfaucet/db";
import { findApp } from "../apps/app-store.js";
import { developerExists } from "../developers/developer-store.js";
import type { Tenant } from "../tenant.js";
import {
  MAX_REVENUE_GROUPS,
  revenueStatement,
  usageCursor,
  usagePageStatement,
  type Statement,
} from "./usage-views.js";

interface UsageRow {
  id: string;
  request_id: string;
  feature_key: string | null;
  route_mode: RouteMode;
  provider: string;
  model: string;
  input_tokens: number;
  cached_tokens: number;
  output_tokens: number;
  retail_units: string;
  developer_units: string;
  created_at: Date;
  created_at_text: string;
}

/** One page of an app's usage: a window [from, to) and where the previous page ended. */
export interface AppUsagePageInput {
  /** ISO instants; either may be left out. */
  from?: string | undefined;
  to?: string | undefined;
  /** The previous page's `next_cursor`; 400 `invalid_request` when it is not one. */
  cursor?: string | undefined;
  limit: number;
}

/**
 * One page of the tenant's app's usage events, newest first, keyset-paginated
 * on (created_at, id) so deep pages stay fast. Another developer's app is 404
 * `invalid_app`, and the statement filters by the app's developer too.
 */
export async function appUsagePage(
  q: Queryable,
  tenant: Tenant,
  appId: string,
  page: AppUsagePageInput,
): Promise<UsagePage> {
  const { developerId } = await findApp(q, tenant, appId);
  const { sql, values } = usagePageStatement({
    appId,
    developerId,
    from: page.from,
    to: page.to,
    after: page.cursor ? usageCursor.decode(page.cursor) : undefined,
    limit: page.limit + 1,
  });
  const { rows } = await q.query<UsageRow>(sql, values);
  const items = rows.slice(0, page.limit);
  const last = items.at(-1);
  return {
    items: items.map((row) => ({
      request_id: row.request_id,
      feature_key: row.feature_key,
      route_mode: row.route_mode,
      provider: row.provider,
      model: row.model,
      input_tokens: row.input_tokens,
      cached_tokens: row.cached_tokens,
      output_tokens: row.output_tokens,
      retail_price_usd: formatUsd(BigInt(row.retail_units)),
      channel_revenue_usd: formatUsd(BigInt(row.developer_units)),
      created_at: row.created_at.toISOString(),
    })),
    next_cursor: rows.length > page.limit && last ? usageCursor.encode([last.created_at_text, last.id]) : null,
  };
}

interface TotalsRow {
  key?: string;
  requests: string;
  retail: string;
  earned: string;
}

/** A developer's usage totals: requests, what end users paid, the developer's share. */
export type RevenueTotals = Pick<Revenue, "requests" | "retail_usd" | "earned_usd">;

const totalsToWire = (row: TotalsRow): RevenueTotals => ({
  requests: Number(row.requests),
  retail_usd: formatUsd(BigInt(row.retail)),
  earned_usd: formatUsd(BigInt(row.earned)),
});

/**
 * Totals of the developer's usage in [from, to) (all time by default), and
 * with `groupBy` the same per day (UTC) / feature / route mode / model. 404
 * `not_found` for an unknown developer; 400 `invalid_request` beyond
 * MAX_REVENUE_GROUPS groups.
 */
export async function developerRevenue(
  q: Queryable,
  range: { developerId: string; from: string | undefined; to: string | undefined; groupBy: RevenueGroupBy | undefined },
): Promise<{ totals: RevenueTotals; groups: Array<RevenueTotals & { key: string }> | undefined }> {
  if (!(await developerExists(q, range.developerId))) throw new AppError("not_found", "Unknown developer.");
  const totalsOf = ({ sql, values }: Statement) => q.query<TotalsRow>(sql, values);
  const totals = await totalsOf(revenueStatement({ ...range, groupBy: undefined }));
  const groups = range.groupBy ? (await totalsOf(revenueStatement(range))).rows : undefined;
  if (groups && groups.length > MAX_REVENUE_GROUPS) {
    throw new AppError("invalid_request", `group_by: more than ${MAX_REVENUE_GROUPS} groups; narrow from/to.`);
  }
  return {
    totals: totalsToWire(totals.rows[0]!),
    groups: groups?.map((row) => ({ key: row.key!, ...totalsToWire(row) })),
  };
}
