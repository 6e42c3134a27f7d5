import { bearerToken, type SessionAuthenticator } from "@modelfaucet/server-kit";
import type { FastifyInstance } from "fastify";
import type { ModelCatalog } from "../catalog/model-catalog.js";

export interface ModelsRouteOptions {
  sessions: SessionAuthenticator;
  catalog: ModelCatalog;
  /** Providers this Gateway can reach on the platform route. */
  reachableProviders: () => Set<string>;
}

/** `GET /v1/models`: the catalog models this session can be routed to, in OpenAI's list shape. */
export async function modelsRoute(app: FastifyInstance, { sessions, catalog, reachableProviders }: ModelsRouteOptions) {
  app.get("/v1/models", async (request) => {
    await sessions.authenticate(bearerToken(request));
    const reachable = reachableProviders();
    const models = (await catalog.all()).filter((model) => reachable.has(model.provider));
    return {
      object: "list",
      data: models.map((model) => ({
        id: model.id,
        object: "model",
        created: Math.floor(model.effectiveFrom.getTime() / 1000),
        owned_by: model.provider,
        context_window: model.contextWindow,
        max_output_tokens: model.maxOutputTokens,
      })),
    };
  });
}
