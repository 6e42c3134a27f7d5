import type { Queryable } from "@modelfaucet/db";
import { developerOf } from "@modelfaucet/server-kit";
import type { FastifyRequest } from "fastify";

/** One developer-console action, as kept in the append-only `audit_logs`. Never holds secrets. */
export interface DeveloperAuditEntry {
  /** The tenant the entry belongs to (shown in that developer's operations view). */
  developerId: string;
  /** `resource.verb`, e.g. `app.archive`. */
  action: string;
  resourceType: string;
  resourceId: string;
  details?: Record<string, unknown>;
}

/**
 * Appends an entry for the caller of a developer route: actor `developer`
 * with the token id for `mf_dev_` tokens, `admin` for the bootstrap token.
 * Call it in the transaction of the change it records.
 */
export async function writeDeveloperAudit(
  q: Queryable,
  request: FastifyRequest,
  entry: DeveloperAuditEntry,
): Promise<void> {
  const { tokenId } = developerOf(request);
  await q.query(
    `INSERT INTO audit_logs (actor_type, actor_id, developer_id, action, resource_type, resource_id, request_id, details)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      tokenId === null ? "admin" : "developer",
      tokenId,
      entry.developerId,
      entry.action,
      entry.resourceType,
      entry.resourceId,
      request.id,
      JSON.stringify(entry.details ?? {}),
    ],
  );
}
