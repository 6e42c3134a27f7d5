import { AppError } from "@modelfaucet/core";
import type { Queryable } from "@modelfaucet/db";
import {
  actingDeveloperId,
  developerOf,
  listProviderKeys,
  type DeveloperAuthenticator,
  type ProviderKeyOwner,
} from "@modelfaucet/server-kit";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import {
  developerKeyBudgetBody,
  developerProviderKeyBody,
  providerKeyParams,
} from "../provider-keys/provider-key-body.js";
import {
  createProviderKey,
  deleteProviderKey,
  setDeveloperKeyBudget,
  type ProviderKeyRouteDeps,
} from "../provider-keys/provider-key-service.js";
import { providerKeyToWire } from "../provider-keys/provider-key-to-wire.js";

const developerQuery = z.object({
  developer_id: z
    .string({ error: "must be a developer id (dev_…)" })
    .regex(/^dev_[A-Za-z0-9_]{1,64}$/, { error: "must be a developer id (dev_…)" })
    .optional(),
});

export interface DeveloperProviderKeysOptions extends ProviderKeyRouteDeps {
  auth: DeveloperAuthenticator;
}

/**
 * The owner the request acts for: a token's own developer (naming another is
 * 403), or the developer the bootstrap token names in `developer_id`.
 */
async function developerOwner(
  q: Queryable,
  request: FastifyRequest,
  named: string | undefined,
): Promise<ProviderKeyOwner & { kind: "developer" }> {
  const id = actingDeveloperId(developerOf(request), named, "developer_id");
  const { rows } = await q.query("SELECT 1 FROM developers WHERE id = $1", [id]);
  if (rows.length === 0) throw new AppError("not_found", "Unknown developer_id.");
  return { kind: "developer", developerId: id };
}

/**
 * A developer's own provider keys, for a `mf_dev_` token (its own developer;
 * another developer's key id is 404) or the bootstrap DEVELOPER_ADMIN_TOKEN
 * (the developer named by `developer_id` in the body or query). The store
 * filters every query by the owner. Responses carry `masked`, never the key.
 */
export async function developerProviderKeysRoutes(app: FastifyInstance, options: DeveloperProviderKeysOptions) {
  const { db, auth } = options;
  const keysRead = { onRequest: auth.requireDeveloper("developer:provider_keys:read") };
  const keysWrite = { onRequest: auth.requireDeveloper("developer:provider_keys:write") };

  app.post("/v1/developer/provider-keys", keysWrite, async (request, reply) => {
    const body = developerProviderKeyBody.parse(request.body);
    const owner = await developerOwner(db, request, body.developer_id);
    const record = await createProviderKey(options, request, owner, body);
    return reply.code(201).send(providerKeyToWire(record));
  });

  app.get("/v1/developer/provider-keys", keysRead, async (request) => {
    const owner = await developerOwner(db, request, developerQuery.parse(request.query).developer_id);
    return { items: (await listProviderKeys(db, owner)).map(providerKeyToWire) };
  });

  // Budgets are enforced by the ledger: the key's budget account is funded to the new limit at once.
  app.patch("/v1/developer/provider-keys/:id", keysWrite, async (request) => {
    const { id } = providerKeyParams.parse(request.params);
    const body = developerKeyBudgetBody.parse(request.body);
    const owner = await developerOwner(db, request, developerQuery.parse(request.query).developer_id);
    return providerKeyToWire(await setDeveloperKeyBudget(db, request, owner, id, body.budget_limit_usd));
  });

  app.delete("/v1/developer/provider-keys/:id", keysWrite, async (request) => {
    const { id } = providerKeyParams.parse(request.params);
    const owner = await developerOwner(db, request, developerQuery.parse(request.query).developer_id);
    return providerKeyToWire(await deleteProviderKey(db, request, owner, id));
  });
}
