import {
  bearerToken,
  type SessionAuthenticator,
  type ProviderKeyOwner,
  listProviderKeys,
} from "@modelfaucet/server-kit";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { providerKeyBody, providerKeyParams } from "../provider-keys/provider-key-body.js";
import {
  createProviderKey,
  deleteProviderKey,
  type ProviderKeyRouteDeps,
} from "../provider-keys/provider-key-service.js";
import { providerKeyToWire } from "../provider-keys/provider-key-to-wire.js";

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

  app.post("/v1/user/provider-keys", async (request, reply) => {
    const who = await owner(request);
    const body = providerKeyBody.parse(request.body);
    const record = await createProviderKey(options, request, who, body);
    return reply.code(201).send(providerKeyToWire(record));
  });

  app.get("/v1/user/provider-keys", async (request) => {
    const who = await owner(request);
    return { items: (await listProviderKeys(db, who)).map(providerKeyToWire) };
  });

  app.delete("/v1/user/provider-keys/:id", async (request) => {
    const who = await owner(request);
    const { id } = providerKeyParams.parse(request.params);
    return providerKeyToWire(await deleteProviderKey(db, request, who, id));
  });
}
