import type { Database, Queryable } from "@modelfaucet/db";

/** One entry of the audit log as a money recipe records it: ids, amounts and transfer ids, never secrets. */
export interface MoneyAuditEntry {
  /** The operator (ADMIN_TOKEN), an end user's session, or the system (a Stripe event). */
  actorType: "admin" | "end_user" | "system";
  /** The end user or event behind the action; null for the operator's bootstrap token. */
  actorId: string | null;
  /** The tenant the entry belongs to (shown in that developer's operations view); null for platform-wide actions. */
  developerId: string | null;
  /** `resource.verb`, e.g. `payout.approve`. */
  action: string;
  resourceType: string;
  resourceId: string | null;
  requestId: string;
  details: Record<string, unknown>;
}

/**
 * Appends an entry to the audit log, in `q`: the recipe's own transaction, so
 * the money and its record commit together or not at all. The app passes its
 * audit log's writer; the recipes do not know where the log is kept.
 */
export type AuditWriter = (q: Queryable, entry: MoneyAuditEntry) => Promise<void>;

/** What a recipe that records its actions works with: the database, and the app's audit log. */
export interface RecipeDeps {
  db: Database;
  audit: AuditWriter;
}

/** An entry by the operator (ADMIN_TOKEN), who has no id of its own. */
export function byOperator(entry: Omit<MoneyAuditEntry, "actorType" | "actorId">): MoneyAuditEntry {
  return { actorType: "admin", actorId: null, ...entry };
}
