import {
  dailyUsageQuery,
  dailyUsageSchema,
  MAX_DAILY_USAGE_DAYS,
  requestDetailParams,
  requestDetailSchema,
} from "@modelfaucet/contract";
import type { Database } from "@modelfaucet/db";
import {
  actingDeveloperId,
  developerOf,
  tenantOf,
  type DeveloperAuthenticator,
  type RouteContract,
  withContract,
} from "@modelfaucet/server-kit";
import { dailyUsage, requestDetail } from "@modelfaucet/store";
import type { FastifyInstance } from "fastify";
import { dailyUsageInput } from "../console/daily-usage-input.js";

const dailyRoute = {
  summary: "Requests, tokens and the price split per UTC day, split by route mode, feature, model or app",
  description:
    `Scope developer:operations:read. \`from\`/\`to\` are UTC days, both included (the last 30 by default, at most ` +
    `${MAX_DAILY_USAGE_DAYS}). A token sees its own developer's usage; DEVELOPER_ADMIN_TOKEN may name one with ` +
    "`developer_id`, or see every developer's.",
  auth: "developer",
  query: dailyUsageQuery,
  response: dailyUsageSchema,
} satisfies RouteContract;

const detailRoute = {
  summary: "One billed request by its x-request-id: tokens, price split, route, model, attempts, time",
  description: "Scope developer:operations:read. Another developer's request is 404, as an unknown one.",
  auth: "developer",
  params: requestDetailParams,
  response: requestDetailSchema,
} satisfies RouteContract;

export interface DeveloperUsageViewsOptions {
  db: Database;
  auth: DeveloperAuthenticator;
}

/**
 * The dashboard's developer usage views (`developer:operations:read`):
 * `GET /v1/developer/usage/daily` and `GET /v1/developer/requests/:request_id`.
 * Tenancy is in the store's SQL.
 */
export async function developerUsageViewsRoutes(app: FastifyInstance, { db, auth }: DeveloperUsageViewsOptions) {
  const operationsRead = { onRequest: auth.requireDeveloper("developer:operations:read") };

  app.get("/v1/developer/usage/daily", withContract(dailyRoute, operationsRead), async (request) => {
    const query = dailyRoute.query.parse(request.query);
    const tenant = actingDeveloperId(developerOf(request), query.developer_id, "developer_id", "optional");
    return dailyUsage(db, dailyUsageInput(tenant, query));
  });

  app.get("/v1/developer/requests/:request_id", withContract(detailRoute, operationsRead), async (request) => {
    const { request_id: requestId } = detailRoute.params.parse(request.params);
    return requestDetail(db, tenantOf(developerOf(request)), requestId);
  });
}
