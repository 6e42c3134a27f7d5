import type { Queryable } from "@modelfaucet/db";

/** Who did it: the operator, a developer token, an end user's session, or the system (e.g. a Stripe event). */
export type AuditActorType = "admin" | "developer" | "end_user" | "system";

/** One entry of the append-only `audit_logs`. Never holds secrets: ids, amounts and field names only. */
export interface AuditEntry {
  actorType: AuditActorType;
  /** The token, end user or event behind the action; null for the bootstrap tokens. */
  actorId: string | null;
  /** The tenant the entry belongs to (shown in that developer's operations view); null for platform-wide actions. */
  developerId: string | null;
  /** `resource.verb`, e.g. `payout.approve`. */
  action: string;
  resourceType: string;
  resourceId: string | null;
  requestId: string;
  details?: Record<string, unknown> | undefined;
}

/**
 * Who acts, in which request: what a store operation that records itself in
 * the audit log is given by its caller (a route knows who is calling).
 */
export type AuditActor = Pick<AuditEntry, "actorType" | "actorId" | "requestId">;

/** The operator's bootstrap tokens (ADMIN_TOKEN, DEVELOPER_ADMIN_TOKEN) have no id of their own. */
export const operatorActor = (requestId: string): AuditActor => ({ actorType: "admin", actorId: null, requestId });

/** Appends `entry`. Call it in the transaction of the change it records, so both commit together. */
export async function appendAuditEntry(q: Queryable, entry: AuditEntry): Promise<void> {
  await q.query(
    `INSERT INTO audit_logs (actor_type, actor_id, developer_id, action, resource_type, resource_id, request_id, details)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      entry.actorType,
      entry.actorId,
      entry.developerId,
      entry.action,
      entry.resourceType,
      entry.resourceId,
      entry.requestId,
      JSON.stringify(entry.details ?? {}),
    ],
  );
}
