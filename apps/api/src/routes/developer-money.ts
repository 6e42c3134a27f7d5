import { developerBalance } from "@modelfaucet/billing";
import {
  appParams,
  developerParams,
  MAX_USAGE_PAGE,
  revenueQuery,
  revenueSchema,
  usagePageSchema,
  usageQuery,
} from "@modelfaucet/contract";
import { AppError, formatUsd } from "@modelfaucet/core";
import type { Database } from "@modelfaucet/db";
import {
  actingDeveloperId,
  developerOf,
  tenantOf,
  type DeveloperAuthenticator,
  type RouteContract,
  withContract,
} from "@modelfaucet/server-kit";
import type { FastifyInstance } from "fastify";
import { findApp } from "../developer-console/app-store.js";
import {
  MAX_REVENUE_GROUPS,
  revenueStatement,
  usageCursor,
  usagePageStatement,
  type Statement,
} from "../reports/usage-views.js";

const usageRoute = {
  summary: "An app's usage events, newest first (scope developer:operations:read)",
  description:
    `Keyset-paginated on (created_at, id): \`limit\` ≤ ${MAX_USAGE_PAGE}, \`cursor\` the previous page's ` +
    "`next_cursor`, `from` inclusive and `to` exclusive. `request_id` is the request's x-request-id.",
  auth: "developer",
  params: appParams,
  query: usageQuery,
  response: usagePageSchema,
} satisfies RouteContract;

const revenueRoute = {
  summary: "A developer's revenue: requests, retail, earned, balance (scope developer:operations:read)",
  description:
    "Totals over [from, to), all time by default; `group_by` adds the same per day (UTC), feature, route mode or model.",
  auth: "developer",
  params: developerParams,
  query: revenueQuery,
  response: revenueSchema,
} satisfies RouteContract;

interface TotalsRow {
  key?: string;
  requests: string;
  retail: string;
  earned: string;
}

const totalsToWire = (row: TotalsRow) => ({
  requests: Number(row.requests),
  retail_usd: formatUsd(BigInt(row.retail)),
  earned_usd: formatUsd(BigInt(row.earned)),
});

interface UsageRow {
  id: string;
  request_id: string;
  feature_key: string | null;
  route_mode: string;
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

export interface DeveloperMoneyOptions {
  db: Database;
  auth: DeveloperAuthenticator;
}

/**
 * Developer money views (scope `developer:operations:read`): an app's usage,
 * a developer's revenue. A `mf_dev_` token sees its own developer's only:
 * another developer's app is 404, another developer's revenue 403.
 */
export async function developerMoneyRoutes(app: FastifyInstance, { db, auth }: DeveloperMoneyOptions) {
  const operationsRead = { onRequest: auth.requireDeveloper("developer:operations:read") };

  /** Newest first, keyset-paginated on (created_at, id) so deep pages stay fast. */
  app.get("/v1/apps/:publicAppId/usage", withContract(usageRoute, operationsRead), async (request) => {
    const { publicAppId } = usageRoute.params.parse(request.params);
    const query = usageRoute.query.parse(request.query);
    const { developer_id: developerId } = await findApp(db, tenantOf(developerOf(request)), publicAppId);
    const { sql, values } = usagePageStatement({
      appId: publicAppId,
      developerId,
      from: query.from,
      to: query.to,
      after: query.cursor ? usageCursor.decode(query.cursor) : undefined,
      limit: query.limit + 1,
    });
    const { rows } = await db.query<UsageRow>(sql, values);
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      items: page.map((row) => ({
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
      next_cursor: rows.length > query.limit && last ? usageCursor.encode([last.created_at_text, last.id]) : null,
    };
  });

  /**
   * Totals of the developer's usage in [from, to) (all time by default),
   * and with `group_by` the same per day (UTC) / feature / route mode / model.
   */
  app.get("/v1/developers/:id/revenue", withContract(revenueRoute, operationsRead), async (request) => {
    const params = revenueRoute.params.parse(request.params);
    const query = revenueRoute.query.parse(request.query);
    const id = actingDeveloperId(developerOf(request), params.id, "id");
    const developer = await db.query("SELECT 1 FROM developers WHERE id = $1", [id]);
    if (developer.rows.length === 0) throw new AppError("not_found", "Unknown developer.");
    const range = { developerId: id, from: query.from, to: query.to };
    const totalsOf = ({ sql, values }: Statement) => db.query<TotalsRow>(sql, values);
    const totals = await totalsOf(revenueStatement({ ...range, groupBy: undefined }));
    const groups = query.group_by
      ? (await totalsOf(revenueStatement({ ...range, groupBy: query.group_by }))).rows
      : undefined;
    if (groups && groups.length > MAX_REVENUE_GROUPS) {
      throw new AppError("invalid_request", `group_by: more than ${MAX_REVENUE_GROUPS} groups; narrow from/to.`);
    }
    const balance = await developerBalance(db, id);
    return {
      developer_id: id,
      ...totalsToWire(totals.rows[0]!),
      balance_usd: formatUsd(balance.balance),
      available_usd: formatUsd(balance.available),
      ...(groups
        ? { group_by: query.group_by, groups: groups.map((row) => ({ key: row.key!, ...totalsToWire(row) })) }
        : {}),
    };
  });
}
