import type { Queryable } from "@modelfaucet/db";
import { developerOf } from "@modelfaucet/server-kit";
import type { FastifyRequest } from "fastify";
import { appendAuditEntry } from "../audit-log.js";

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
  await appendAuditEntry(q, {
    ...entry,
    actorType: tokenId === null ? "admin" : "developer",
    actorId: tokenId,
    requestId: request.id,
  });
}
