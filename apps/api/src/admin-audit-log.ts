import type { Queryable } from "@modelfaucet/db";
import { appendAuditEntry } from "./audit-log.js";

/** One operator action, as it is kept in the append-only `audit_logs`. Never holds secrets. */
export interface AdminAuditEntry {
  /** `resource.verb`, e.g. `payout.approve`. */
  action: string;
  resourceType: string;
  resourceId: string | null;
  requestId: string;
  /** The tenant the entry belongs to, so the developer's own audit view shows it; null for platform-wide actions. */
  developerId?: string | null;
  details?: Record<string, unknown>;
}

/**
 * Appends an entry with actor `admin` (ADMIN_TOKEN). Call it in the same
 * transaction as the change it records, so an action and its entry commit together.
 */
export async function writeAdminAudit(q: Queryable, entry: AdminAuditEntry): Promise<void> {
  await appendAuditEntry(q, { ...entry, actorType: "admin", actorId: null, developerId: entry.developerId ?? null });
}
