import { providerKeyBody, providerKeyListSchema, providerKeyParams, providerKeySchema } from "@modelfaucet/contract";
import { bearerToken, type RouteContract, withContract, type SessionAuthenticator } from "@modelfaucet/server-kit";
import { listProviderKeys, type ProviderKeyOwner } from "@modelfaucet/store";
import type { FastifyInstance, FastifyRequest } from "fastify";
import {
  createProviderKey,
  deleteProviderKey,
  type ProviderKeyRouteDeps,
} from "../provider-keys/provider-key-service.js";
import { providerKeyToWire } from "../provider-keys/provider-key-to-wire.js";

const storeKey = {
  summary: "Store one of the end user's own provider keys (BYOK), encrypted",
  description:
    "With `validate: true` the key is tried against the provider first (400 `secret_validation_failed`). " +
    "`base_url` passes the cloud-safe URL guard. The answer shows `masked`, never the key.",
  auth: "session",
  body: providerKeyBody,
  status: 201,
  response: providerKeySchema,
} satisfies RouteContract;

const listKeys = {
  summary: "The end user's provider keys, masked",
  auth: "session",
  response: providerKeyListSchema,
} satisfies RouteContract;

const revokeKey = {
  summary: "Revoke one of the end user's provider keys (its encrypted key is erased)",
  auth: "session",
  params: providerKeyParams,
  response: providerKeySchema,
} satisfies RouteContract;

export interface UserProviderKeysOptions extends ProviderKeyRouteDeps {
  sessions: SessionAuthenticator;
}

/**
 * BYOK: an end user's own provider keys (session-authenticated). A user only
 * ever sees and deletes their own keys; responses carry `masked`, never the key.
 */
export async function userProviderKeysRoutes(app: FastifyInstance, options: UserProviderKeysOptions) {
  const { db, sessions } = options;

  async function owner(request: FastifyRequest): Promise<ProviderKeyOwner> {
    const session = await sessions.authenticate(bearerToken(request));
    return { kind: "end_user", endUserId: session.endUserId, appId: session.appId, developerId: session.developerId };
  }

  app.post("/v1/user/provider-keys", withContract(storeKey), async (request, reply) => {
    const who = await owner(request);
    const body = storeKey.body.parse(request.body);
    const record = await createProviderKey(options, request, who, body);
    return reply.code(201).send(providerKeyToWire(record));
  });

  app.get("/v1/user/provider-keys", withContract(listKeys), async (request) => {
    const who = await owner(request);
    return { items: (await listProviderKeys(db, who)).map(providerKeyToWire) };
  });

  app.delete("/v1/user/provider-keys/:id", withContract(revokeKey), async (request) => {
    const who = await owner(request);
    const { id } = revokeKey.params.parse(request.params);
    return providerKeyToWire(await deleteProviderKey(db, request, who, id));
  });
}
