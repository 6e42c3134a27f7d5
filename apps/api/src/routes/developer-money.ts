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
import { formatUsd } from "@modelfaucet/core";
import type { Database } from "@modelfaucet/db";
import {
  actingDeveloperId,
  developerOf,
  tenantOf,
  type DeveloperAuthenticator,
  type RouteContract,
  withContract,
} from "@modelfaucet/server-kit";
import { appUsagePage, developerRevenue } from "@modelfaucet/store";
import type { FastifyInstance } from "fastify";

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
    return appUsagePage(db, tenantOf(developerOf(request)), publicAppId, query);
  });

  /**
   * Totals of the developer's usage in [from, to) (all time by default),
   * and with `group_by` the same per day (UTC) / feature / route mode / model.
   */
  app.get("/v1/developers/:id/revenue", withContract(revenueRoute, operationsRead), async (request) => {
    const params = revenueRoute.params.parse(request.params);
    const query = revenueRoute.query.parse(request.query);
    const id = actingDeveloperId(developerOf(request), params.id, "id");
    const revenue = await developerRevenue(db, {
      developerId: id,
      from: query.from,
      to: query.to,
      groupBy: query.group_by,
    });
    const balance = await developerBalance(db, id);
    return {
      developer_id: id,
      ...revenue.totals,
      balance_usd: formatUsd(balance.balance),
      available_usd: formatUsd(balance.available),
      ...(revenue.groups ? { group_by: query.group_by, groups: revenue.groups } : {}),
    };
  });
}
