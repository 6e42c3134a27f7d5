import { developerOf } from "@modelfaucet/server-kit";
import type { AuditActor } from "@modelfaucet/store";
import type { FastifyRequest } from "fastify";

/**
 * Who a developer route's caller is, for the audit entries the store writes:
 * actor `developer` with the token id for `mf_dev_` tokens, `admin` for the
 * bootstrap DEVELOPER_ADMIN_TOKEN.
 */
export function developerActor(request: FastifyRequest): AuditActor {
  const { tokenId } = developerOf(request);
  return { actorType: tokenId === null ? "admin" : "developer", actorId: tokenId, requestId: request.id };
}
