import { randomBytes } from "node:crypto";
import type { Developer } from "@modelfaucet/contract";
import { AppError } from "@modelfaucet/core";
import type { Database, Queryable } from "@modelfaucet/db";
import { appendAuditEntry, type AuditActor } from "../audit/append-audit-entry.js";

interface DeveloperRow {
  id: string;
  name: string;
  email: string;
  status: string;
  created_at: Date;
}

const toWire = (row: DeveloperRow): Developer => ({
  id: row.id,
  name: row.name,
  email: row.email,
  status: row.status,
  created_at: row.created_at.toISOString(),
});

const UNIQUE_VIOLATION = "23505";

/** Whether developer `id` exists; with `lock`, its row stays locked until the transaction `q` ends. */
export async function developerExists(q: Queryable, id: string, lock?: "lock"): Promise<boolean> {
  const { rows } = await q.query(
    lock ? "SELECT 1 FROM developers WHERE id = $1 FOR UPDATE" : "SELECT 1 FROM developers WHERE id = $1",
    [id],
  );
  return rows.length > 0;
}

/** Registers a developer, with its audit entry; 409 `conflict` when the email is taken. */
export async function createDeveloper(
  db: Database,
  developer: { name: string; email: string },
  actor: AuditActor,
): Promise<Developer> {
  const id = `dev_${randomBytes(12).toString("hex")}`;
  try {
    const row = await db.transaction(async (tx) => {
      const { rows } = await tx.query<DeveloperRow>(
        `INSERT INTO developers (id, name, email) VALUES ($1, $2, $3)
         RETURNING id, name, email, status, created_at`,
        [id, developer.name, developer.email],
      );
      await appendAuditEntry(tx, {
        ...actor,
        developerId: id,
        action: "developer.create",
        resourceType: "developer",
        resourceId: id,
      });
      return rows[0]!;
    });
    return toWire(row);
  } catch (error) {
    if ((error as { code?: string }).code === UNIQUE_VIOLATION) {
      throw new AppError("conflict", "A developer with this email already exists.");
    }
    throw error;
  }
}

/** The first `limit` developers, oldest first. */
export async function listDevelopers(q: Queryable, limit: number): Promise<Developer[]> {
  const { rows } = await q.query<DeveloperRow>(
    "SELECT id, name, email, status, created_at FROM developers ORDER BY created_at, id LIMIT $1",
    [limit],
  );
  return rows.map(toWire);
}
