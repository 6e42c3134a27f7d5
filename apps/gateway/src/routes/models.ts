import { bearerToken, type SessionAuthenticator } from "@modelfaucet/server-kit";
import type { FastifyInstance } from "fastify";
import type { FeatureCatalog } from "../catalog/feature-catalog.js";
import type { CatalogModel, ModelCatalog } from "../catalog/model-catalog.js";
import type { RouteSelector } from "../routing/route-candidates.js";

export interface ModelsRouteOptions {
  sessions: SessionAuthenticator;
  catalog: ModelCatalog;
  features: FeatureCatalog;
  selectRoutes: RouteSelector;
}

/**
 * `GET /v1/models`: the catalog models this session can be routed to — through
 * the platform pool, the developer's keys or the user's own keys, as its
 * feature's route preference allows — in OpenAI's list shape. `?feature_key=`
 * picks the feature when the app has several and the session names none.
 */
export async function modelsRoute(
  app: FastifyInstance,
  { sessions, catalog, features, selectRoutes }: ModelsRouteOptions,
) {
  app.get("/v1/models", async (request) => {
    const session = await sessions.authenticate(bearerToken(request));
    const { feature_key: asked } = request.query as { feature_key?: unknown };
    const feature = await features.resolve(
      session.appId,
      typeof asked === "string" ? asked : undefined,
      session.featureKey,
    );
    const routable = async (model: CatalogModel) =>
      selectRoutes(session, feature, model).then(
        (routes) => routes.length > 0,
        () => false,
      );
    const models = await catalog.all();
    const flags = await Promise.all(models.map(routable));
    return {
      object: "list",
      data: models
        .filter((_, index) => flags[index])
        .map((model) => ({
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
