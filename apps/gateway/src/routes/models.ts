import { modelListSchema, modelParams, modelSchema, modelsQuery, type Model } from "@modelfaucet/contract";
import { AppError } from "@modelfaucet/core";
import { bearerToken, type RouteContract, withContract, type SessionAuthenticator } from "@modelfaucet/server-kit";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Feature, FeatureCatalog } from "../catalog/feature-catalog.js";
import type { CatalogModel, ModelCatalog } from "../catalog/model-catalog.js";
import { outputTokenLimit } from "../chat/plan-route.js";
import type { RouteSelector } from "../routing/route-candidates.js";

export interface ModelsRouteOptions {
  sessions: SessionAuthenticator;
  catalog: ModelCatalog;
  features: FeatureCatalog;
  selectRoutes: RouteSelector;
}

/**
 * A model in OpenAI's shape, with its limits: `max_output_tokens` is the
 * model's own, `feature_max_output_tokens` the most a request under the
 * session's feature may ask for (the smaller of the model's and the
 * feature's `policy.max_output_tokens`; above it is a 400), and its catalog
 * capabilities.
 */
function modelObject(model: CatalogModel, feature: Feature): Model {
  return {
    id: model.id,
    object: "model",
    created: Math.floor(model.effectiveFrom.getTime() / 1000),
    owned_by: model.provider,
    context_window: model.contextWindow,
    max_output_tokens: model.maxOutputTokens,
    feature_max_output_tokens: outputTokenLimit(model, feature),
    capabilities: model.capabilities,
  };
}

const listContract = {
  summary: "The models this session can be routed to, with their limits (OpenAI's list shape)",
  auth: "session",
  query: modelsQuery,
  response: modelListSchema,
} satisfies RouteContract;

const retrieveContract = {
  summary: "One model of that list (the openai client's models.retrieve); 404 not_found for any other",
  auth: "session",
  params: modelParams,
  query: modelsQuery,
  response: modelSchema,
} satisfies RouteContract;

/**
 * `GET /v1/models`: the catalog models this session can be routed to — through
 * the platform pool, the developer's keys or the user's own keys, as its
 * feature's route preference allows — in OpenAI's list shape.
 * `GET /v1/models/{id}` (the `openai` client's `models.retrieve`): one of
 * them, the same object; 404 `not_found` for a model not in that list.
 * `?feature_key=` picks the feature when the app has several and the
 * session names none.
 */
export async function modelsRoute(
  app: FastifyInstance,
  { sessions, catalog, features, selectRoutes }: ModelsRouteOptions,
) {
  async function sessionFeature(request: FastifyRequest) {
    const session = await sessions.authenticate(bearerToken(request));
    const { feature_key: asked } = modelsQuery.parse(request.query);
    const feature = await features.resolve(session.appId, asked, session.featureKey);
    const routable = async (model: CatalogModel) =>
      selectRoutes(session, feature, model).then(
        (routes) => routes.length > 0,
        () => false,
      );
    return { feature, routable };
  }

  app.get("/v1/models", withContract(listContract), async (request) => {
    const { feature, routable } = await sessionFeature(request);
    const models = await catalog.all();
    const flags = await Promise.all(models.map(routable));
    return {
      object: "list",
      data: models.filter((_, index) => flags[index]).map((model) => modelObject(model, feature)),
    };
  });

  // A catalog id may contain "/" (e.g. `meta/llama-3`), so the id is the rest of the path.
  app.get("/v1/models/*", withContract(retrieveContract), async (request) => {
    const { feature, routable } = await sessionFeature(request);
    const { id } = retrieveContract.params.parse({ id: (request.params as { "*": string })["*"] });
    const model = await catalog.find(id);
    if (!model || !(await routable(model))) {
      // The id is not echoed: it is whatever the caller put in the path.
      throw new AppError("not_found", "No such model for this session; GET /v1/models lists the ones it can use.");
    }
    return modelObject(model, feature);
  });
}
