import type { AdminAuditEntry } from "@modelfaucet/contract";
import { AppError } from "@modelfaucet/core";
import type { Queryable } from "@modelfaucet/db";

interface AuditRow {
  id: string;
  occurred_at: Date;
  actor_type: string;
  actor_id: string | null;
  developer_id: string | null;
  action: string;
  resource_type: string;
  resource_id: string | null;
  request_id: string | null;
  details: Record<string, unknown>;
}

/** The audit log, newest first (keyset on its id), optionally one developer's. */
export async function listAuditEntries(
  q: Queryable,
  page: { developerId?: string | undefined; limit: number; cursor?: string | undefined },
): Promise<{ items: AdminAuditEntry[]; next_cursor: string | null }> {
  if (page.cursor !== undefined && !/^[0-9]{1,18}$/.test(page.cursor)) {
    throw new AppError("invalid_request", "cursor: not a cursor returned by this endpoint.");
  }
  const values: unknown[] = [];
  const conditions: string[] = [];
  if (page.developerId) conditions.push(`developer_id = $${values.push(page.developerId)}`);
  if (page.cursor) conditions.push(`id < $${values.push(page.cursor)}::bigint`);
  // Ordered by the table's bigint id: a bare `id` would be the select list's text copy ("9" after "10").
  const { rows } = await q.query<AuditRow>(
    `SELECT id::text, occurred_at, actor_type, actor_id, developer_id, action, resource_type, resource_id,
            request_id, details
     FROM audit_logs ${conditions.length > 0 ? `WHERE ${conditions.join(" AND ")}` : ""}
     ORDER BY audit_logs.id DESC LIMIT $${values.push(page.limit + 1)}`,
    values,
  );
  const items = rows.slice(0, page.limit);
  return {
    items: items.map((row) => ({ ...row, occurred_at: row.occurred_at.toISOString() })),
    next_cursor: rows.length > page.limit ? (items.at(-1)?.id ?? null) : null,
  };
}
