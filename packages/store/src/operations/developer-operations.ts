import { OPERATIONS_LIST_LIMIT, type Operations } from "@modelfaucet/contract";
import { formatUsd } from "@modelfaucet/core";
import type { Queryable } from "@modelfaucet/db";

/** The lists of a developer's operations view: its users' top-ups, its latest payouts and audit entries. */
export type OperationLists = Pick<Operations, "top_ups" | "payouts" | "audit_log">;

interface TopUpTotals {
  count: number;
  paid_count: number;
  paid_units: string;
  refunded_units: string;
}

interface PayoutRow {
  id: string;
  status: Operations["payouts"][number]["status"];
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

/**
 * Read-only: top-ups by end users of the developer's apps (all time), its
 * latest OPERATIONS_LIST_LIMIT payouts and audit entries. `top_ups` and
 * `payouts` come from later migrations: what the schema lacks is left out
 * (no `top_ups`, an empty `payouts`).
 */
export async function developerOperationLists(q: Queryable, developerId: string): Promise<OperationLists> {
  const topUps = (await tableExists(q, "top_ups")) ? await topUpTotals(q, developerId) : undefined;
  const payouts = (await tableExists(q, "payouts")) ? await recentPayouts(q, developerId) : [];
  const auditLog = await recentAudit(q, developerId);
  return { ...(topUps ? { top_ups: topUps } : {}), payouts, audit_log: auditLog };
}

const tableExists = async (q: Queryable, table: string) =>
  (await q.query<{ found: boolean }>("SELECT to_regclass($1) IS NOT NULL AS found", [table])).rows[0]?.found === true;

async function topUpTotals(q: Queryable, developerId: string): Promise<Operations["top_ups"]> {
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

async function recentPayouts(q: Queryable, developerId: string): Promise<Operations["payouts"]> {
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

async function recentAudit(q: Queryable, developerId: string): Promise<Operations["audit_log"]> {
  // Ordered by the table's bigint id: a bare `id` would be the select list's text copy ("9" after "10").
  const { rows } = await q.query<AuditRow>(
    `SELECT id::text, occurred_at, actor_type, actor_id, action, resource_type, resource_id, request_id, details
     FROM audit_logs WHERE developer_id = $1 ORDER BY audit_logs.id DESC LIMIT ${OPERATIONS_LIST_LIMIT}`,
    [developerId],
  );
  return rows.map((row) => ({ ...row, occurred_at: row.occurred_at.toISOString() }));
}
