import { developerBalance } from "@modelfaucet/billing";
import { OPERATIONS_LIST_LIMIT, operationsQuery, operationsSchema } from "@modelfaucet/contract";
import { AppError, formatUsd } from "@modelfaucet/core";
import type { Database, Queryable } from "@modelfaucet/db";
import {
  actingDeveloperId,
  developerOf,
  type DeveloperAuthenticator,
  type RouteContract,
  withContract,
} from "@modelfaucet/server-kit";
import type { FastifyInstance } from "fastify";

const operationsRoute = {
  summary: "A developer's wallet, its users' top-ups, its payouts and audit log (scope developer:operations:read)",
  description: `The latest ${OPERATIONS_LIST_LIMIT} payouts and audit entries.`,
  auth: "developer",
  query: operationsQuery,
  response: operationsSchema,
} satisfies RouteContract;

interface TopUpTotals {
  count: number;
  paid_count: number;
  paid_units: string;
  refunded_units: string;
}

interface PayoutRow {
  id: string;
  status: string;
  amount_units: string;
  created_at: Date;
  approved_at: Date | null;
  paid_at: Date | null;
  cancelled_at: Date | null;
}

interface AuditRow {
  id: string;
  occurred_at: Date;
  actor_type: string;
  actor_id: string | null;
  action: string;
  resource_type: string;
  resource_id: string | null;
  request_id: string | null;
  details: unknown;
}

const tableExists = async (q: Queryable, table: string) =>
  (await q.query<{ found: boolean }>("SELECT to_regclass($1) IS NOT NULL AS found", [table])).rows[0]?.found === true;

/** Top-ups by end users of the developer's apps (all time): the money its users brought in. */
async function topUpTotals(q: Queryable, developerId: string) {
  const { rows } = await q.query<TopUpTotals>(
    `SELECT count(*)::int AS count, count(*) FILTER (WHERE t.status = 'paid')::int AS paid_count,
            coalesce(sum(t.amount_units) FILTER (WHERE t.status = 'paid'), 0)::text AS paid_units,
            coalesce(sum(t.refunded_units + t.disputed_units), 0)::text AS refunded_units
     FROM top_ups t JOIN end_users u ON u.id = t.end_user_id JOIN apps a ON a.id = u.app_id
     WHERE a.developer_id = $1`,
    [developerId],
  );
  const totals = rows[0]!;
  return {
    count: totals.count,
    paid_count: totals.paid_count,
    paid_usd: formatUsd(BigInt(totals.paid_units)),
    refunded_usd: formatUsd(BigInt(totals.refunded_units)),
  };
}

async function recentPayouts(q: Queryable, developerId: string) {
  const { rows } = await q.query<PayoutRow>(
    `SELECT id, status, amount_units::text, created_at, approved_at, paid_at, cancelled_at FROM payouts
     WHERE developer_id = $1 ORDER BY created_at DESC, id DESC LIMIT ${OPERATIONS_LIST_LIMIT}`,
    [developerId],
  );
  return rows.map((row) => ({
    id: row.id,
    status: row.status,
    amount_usd: formatUsd(BigInt(row.amount_units)),
    created_at: row.created_at.toISOString(),
    approved_at: row.approved_at?.toISOString() ?? null,
    paid_at: row.paid_at?.toISOString() ?? null,
    cancelled_at: row.cancelled_at?.toISOString() ?? null,
  }));
}

async function recentAudit(q: Queryable, developerId: string) {
  const { rows } = await q.query<AuditRow>(
    `SELECT id::text, occurred_at, actor_type, actor_id, action, resource_type, resource_id, request_id, details
     FROM audit_logs WHERE developer_id = $1 ORDER BY id DESC LIMIT ${OPERATIONS_LIST_LIMIT}`,
    [developerId],
  );
  return rows.map((row) => ({ ...row, occurred_at: row.occurred_at.toISOString() }));
}

export interface DeveloperOperationsOptions {
  db: Database;
  auth: DeveloperAuthenticator;
}

/**
 * `GET /v1/developer/operations` (`developer:operations:read`): one developer's
 * wallet (its ledger account), its users' top-ups, its payouts and its latest
 * audit entries. A token sees its own developer; the bootstrap token names one
 * with `?developer_id=`.
 */
export async function developerOperationsRoutes(app: FastifyInstance, { db, auth }: DeveloperOperationsOptions) {
  app.get(
    "/v1/developer/operations",
    withContract(operationsRoute, { onRequest: auth.requireDeveloper("developer:operations:read") }),
    async (request) => {
      const query = operationsRoute.query.parse(request.query);
      const developerId = actingDeveloperId(developerOf(request), query.developer_id, "developer_id");
      const developer = await db.query("SELECT 1 FROM developers WHERE id = $1", [developerId]);
      if (developer.rows.length === 0) throw new AppError("not_found", "Unknown developer_id.");
      const balance = await developerBalance(db, developerId);
      // top_ups and payouts come from later migrations: the view omits what the schema lacks.
      const topUps = (await tableExists(db, "top_ups")) ? await topUpTotals(db, developerId) : undefined;
      const payouts = (await tableExists(db, "payouts")) ? await recentPayouts(db, developerId) : [];
      const auditLog = await recentAudit(db, developerId);
      return {
        developer_id: developerId,
        wallet: {
          balance_usd: formatUsd(balance.balance),
          held_usd: formatUsd(balance.held),
          available_usd: formatUsd(balance.available),
        },
        ...(topUps ? { top_ups: topUps } : {}),
        payouts,
        audit_log: auditLog,
      };
    },
  );
}
