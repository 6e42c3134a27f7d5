import { AppError } from "@modelfaucet/core";
import type { Queryable } from "@modelfaucet/db";
import { requireStaticToken } from "@modelfaucet/server-kit";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { developerProviderKeyBody, providerKeyParams } from "../provider-keys/provider-key-body.js";
import type { ProviderKeyOwner } from "../provider-keys/provider-key-owner.js";
import {
  createProviderKey,
  deleteProviderKey,
  type ProviderKeyRouteDeps,
} from "../provider-keys/provider-key-service.js";
import { listProviderKeys } from "../provider-keys/provider-key-store.js";
import { providerKeyToWire } from "../provider-keys/provider-key-to-wire.js";

const developerQuery = z.object({
  developer_id: z
    .string({ error: "is required" })
    .regex(/^dev_[A-Za-z0-9_]{1,64}$/, { error: "must be a developer id (dev_…)" }),
});

export interface DeveloperProviderKeysOptions extends ProviderKeyRouteDeps {
  developerAdminToken: string | undefined;
}

async function developerOwner(q: Queryable, id: string): Promise<ProviderKeyOwner> {
  const { rows } = await q.query("SELECT 1 FROM developers WHERE id = $1", [id]);
  if (rows.length === 0) throw new AppError("not_found", "Unknown developer_id.");
  return { kind: "developer", developerId: id };
}

/**
 * A developer's own provider keys, behind the bootstrap DEVELOPER_ADMIN_TOKEN
 * (acting for the developer named by `developer_id` in the body or query)
 * until scoped `mf_dev_` tokens exist. Responses carry `masked`, never the key.
 */
export async function developerProviderKeysRoutes(app: FastifyInstance, options: DeveloperProviderKeysOptions) {
  const { db } = options;
  app.addHook("onRequest", requireStaticToken(options.developerAdminToken, "DEVELOPER_ADMIN_TOKEN"));

  app.post("/v1/developer/provider-keys", async (request, reply) => {
    const body = developerProviderKeyBody.parse(request.body);
    const owner = await developerOwner(db, body.developer_id);
    const record = await createProviderKey(options, request, owner, body);
    return reply.code(201).send(providerKeyToWire(record));
  });

  app.get("/v1/developer/provider-keys", async (request) => {
    const owner = await developerOwner(db, developerQuery.parse(request.query).developer_id);
    return { items: (await listProviderKeys(db, owner)).map(providerKeyToWire) };
  });

  app.delete("/v1/developer/provider-keys/:id", async (request) => {
    const { id } = providerKeyParams.parse(request.params);
    const owner = await developerOwner(db, developerQuery.parse(request.query).developer_id);
    return providerKeyToWire(await deleteProviderKey(db, request, owner, id));
  });
}
