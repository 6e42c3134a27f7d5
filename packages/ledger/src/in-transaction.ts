import type { Database, Queryable } from "@modelfaucet/db";

/** A Database can open transactions; the Queryable handed to a transaction's work cannot. */
export function isDatabase(q: Queryable): q is Database {
  return typeof (q as Partial<Database>).transaction === "function";
}

/**
 * Runs `work` atomically: in a new transaction when given the Database, or
 * inside the caller's transaction when given one (the caller then commits it
 * together with its own writes). A Queryable is always one or the other.
 */
export function inTransaction<T>(q: Queryable, work: (tx: Queryable) => Promise<T>): Promise<T> {
  return isDatabase(q) ? q.transaction(work) : work(q);
}

/** PostgreSQL's unique_violation, as both adapters report it. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "23505";
}

/**
 * Raised by the fast-path functions of migration 0005 when a case needs the
 * batch path (createTransfers); the statement, and any write sent with it, is
 * rolled back.
 */
export function isFastPathDeclined(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "MF001";
}
