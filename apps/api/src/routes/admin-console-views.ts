import {
  auditLogPageSchema,
  auditLogQuery,
  dailyUsageQuery,
  dailyUsageSchema,
  MAX_DAILY_USAGE_DAYS,
  walletEntriesQuery,
  walletEntryPageSchema,
  walletListQuery,
  walletListSchema,
  walletParams,
  walletSummarySchema,
} from "@modelfaucet/contract";
import type { Database } from "@modelfaucet/db";
import { requireStaticToken, type RouteContract, withContract } from "@modelfaucet/server-kit";
import { dailyUsage, listAuditEntries, listWallets, walletEntries, walletSummary } from "@modelfaucet/store";
import type { FastifyInstance } from "fastify";
import { dailyUsageInput } from "../console/daily-usage-input.js";

const dailyRoute = {
  summary: "The platform's requests, tokens and price split per UTC day, split by route mode, feature, model or app",
  description:
    `\`from\`/\`to\` are UTC days, both included (the last 30 by default, at most ${MAX_DAILY_USAGE_DAYS}); ` +
    "`developer_id` narrows it to one developer.",
  auth: "admin",
  query: dailyUsageQuery,
  response: dailyUsageSchema,
} satisfies RouteContract;

const walletsRoute = {
  summary: "End users' wallets with their balances, newest first",
  auth: "admin",
  query: walletListQuery,
  response: walletListSchema,
} satisfies RouteContract;

const walletRoute = {
  summary: "One end user's wallet with its balances",
  description: "404 `not_found` for an unknown wallet.",
  auth: "admin",
  params: walletParams,
  response: walletSummarySchema,
} satisfies RouteContract;

const entriesRoute = {
  summary: "The ledger transfers on one wallet, newest first",
  auth: "admin",
  params: walletParams,
  query: walletEntriesQuery,
  response: walletEntryPageSchema,
} satisfies RouteContract;

const auditRoute = {
  summary: "The audit log, newest first",
  auth: "admin",
  query: auditLogQuery,
  response: auditLogPageSchema,
} satisfies RouteContract;

export interface AdminConsoleViewsOptions {
  db: Database;
  adminToken: string | undefined;
}

/**
 * What the operator's dashboard pages read (ADMIN_TOKEN): platform daily
 * usage, wallets (the list, or one by id) and their ledger entries, the audit log.
 * Read-only.
 */
export async function adminConsoleViewsRoutes(app: FastifyInstance, { db, adminToken }: AdminConsoleViewsOptions) {
  app.addHook("onRequest", requireStaticToken(adminToken, "ADMIN_TOKEN"));

  app.get("/v1/admin/usage/daily", withContract(dailyRoute), async (request) => {
    const query = dailyRoute.query.parse(request.query);
    return dailyUsage(db, dailyUsageInput(query.developer_id ?? null, query));
  });

  app.get("/v1/admin/wallets", withContract(walletsRoute), async (request) => {
    const query = walletsRoute.query.parse(request.query);
    return listWallets(db, { appId: query.app_id, limit: query.limit, cursor: query.cursor });
  });

  app.get("/v1/admin/wallets/:id", withContract(walletRoute), async (request) => {
    const { id } = walletRoute.params.parse(request.params);
    return walletSummary(db, id);
  });

  app.get("/v1/admin/wallets/:id/entries", withContract(entriesRoute), async (request) => {
    const { id } = entriesRoute.params.parse(request.params);
    const query = entriesRoute.query.parse(request.query);
    return walletEntries(db, id, { limit: query.limit, cursor: query.cursor });
  });

  app.get("/v1/admin/audit-log", withContract(auditRoute), async (request) => {
    const query = auditRoute.query.parse(request.query);
    return listAuditEntries(db, { developerId: query.developer_id, limit: query.limit, cursor: query.cursor });
  });
}
