import {
  developerKeyBudgetBody,
  developerProviderKeyBody,
  developerProviderKeyQuery,
  providerKeyListSchema,
  providerKeyParams,
  providerKeySchema,
} from "@modelfaucet/contract";
import { AppError } from "@modelfaucet/core";
import type { Queryable } from "@modelfaucet/db";
import {
  actingDeveloperId,
  developerOf,
  type DeveloperAuthenticator,
  type RouteContract,
  withContract,
} from "@modelfaucet/server-kit";
import { developerExists, listProviderKeys, type ProviderKeyOwner } from "@modelfaucet/store";
import type { FastifyInstance, FastifyRequest } from "fastify";
import {
  createProviderKey,
  deleteProviderKey,
  setDeveloperKeyBudget,
  type ProviderKeyRouteDeps,
} from "../provider-keys/provider-key-service.js";
import { providerKeyToWire } from "../provider-keys/provider-key-to-wire.js";

const storeKey = {
  summary: "Store a developer's provider key, encrypted (scope developer:provider_keys:write)",
  description:
    "The Gateway's developer_key route calls upstream with it; its `budget_limit_usd` is held by the ledger. With " +
    "`validate: true` the key is tried first (400 `secret_validation_failed`). The answer shows `masked`, never the key.",
  auth: "developer",
  body: developerProviderKeyBody,
  status: 201,
  response: providerKeySchema,
} satisfies RouteContract;

const listKeys = {
  summary: "A developer's provider keys, masked (scope developer:provider_keys:read)",
  auth: "developer",
  query: developerProviderKeyQuery,
  response: providerKeyListSchema,
} satisfies RouteContract;

const setBudget = {
  summary: "Change a developer key's budget at once; null removes the limit (scope developer:provider_keys:write)",
  auth: "developer",
  params: providerKeyParams,
  query: developerProviderKeyQuery,
  body: developerKeyBudgetBody,
  response: providerKeySchema,
} satisfies RouteContract;

const revokeKey = {
  summary: "Revoke a developer's provider key (scope developer:provider_keys:write)",
  auth: "developer",
  params: providerKeyParams,
  query: developerProviderKeyQuery,
  response: providerKeySchema,
} satisfies RouteContract;

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
  if (!(await developerExists(q, id))) throw new AppError("not_found", "Unknown developer_id.");
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

  app.post("/v1/developer/provider-keys", withContract(storeKey, keysWrite), async (request, reply) => {
    const body = storeKey.body.parse(request.body);
    const owner = await developerOwner(db, request, body.developer_id);
    const record = await createProviderKey(options, request, owner, body);
    return reply.code(201).send(providerKeyToWire(record));
  });

  app.get("/v1/developer/provider-keys", withContract(listKeys, keysRead), async (request) => {
    const owner = await developerOwner(db, request, listKeys.query.parse(request.query).developer_id);
    return { items: (await listProviderKeys(db, owner)).map(providerKeyToWire) };
  });

  // Budgets are enforced by the ledger: the key's budget account is funded to the new limit at once.
  app.patch("/v1/developer/provider-keys/:id", withContract(setBudget, keysWrite), async (request) => {
    const { id } = setBudget.params.parse(request.params);
    const body = setBudget.body.parse(request.body);
    const owner = await developerOwner(db, request, setBudget.query.parse(request.query).developer_id);
    return providerKeyToWire(await setDeveloperKeyBudget(db, request, owner, id, body.budget_limit_usd));
  });

  app.delete("/v1/developer/provider-keys/:id", withContract(revokeKey, keysWrite), async (request) => {
    const { id } = revokeKey.params.parse(request.params);
    const owner = await developerOwner(db, request, revokeKey.query.parse(request.query).developer_id);
    return providerKeyToWire(await deleteProviderKey(db, request, owner, id));
  });
}
