import { AppError, type ModelCapability } from "@modelfaucet/core";
import type { CatalogModel } from "../catalog/model-catalog.js";
import type { Feature } from "../catalog/feature-catalog.js";
import { isEmbeddingModel } from "../embeddings/embedding-model.js";
import { cheapestModelPlanner } from "./cheapest-model-planner.js";
import {
  planModel,
  requestedOutputTokens,
  type ModelPlanner,
  type ModelRequest,
  type PlanContext,
} from "./plan-route.js";

/** Whether the feature's policy chooses this request's model: `auto:` under cheapest_sufficient (the default). */
function policyChooses(request: ModelRequest, feature: Feature): boolean {
  const policy = feature.policy.model_policy ?? "cheapest_sufficient";
  return request.model.startsWith("auto:") && policy === "cheapest_sufficient";
}

/**
 * The planner for a request needing `capabilities`: the model it names (or
 * the feature's default_model, under `model_policy: default_model`), else
 * the cheapest sufficient one (cheapestModelPlanner). A named model's window
 * is checked by the caller (assertFitsContextWindow), its capabilities not
 * beyond its kind (an embedding model for embeddings only): a developer who
 * names a model gets that model.
 */
export async function modelPlanner(
  request: ModelRequest,
  capabilities: readonly ModelCapability[],
  context: PlanContext,
): Promise<ModelPlanner> {
  if (policyChooses(request, context.feature)) {
    return cheapestModelPlanner(requestedOutputTokens(request), capabilities, context);
  }
  const plan = await planModel(request, context.feature, context.catalog);
  assertModelKind(plan.model, capabilities.includes("embeddings"));
  return {
    plan: async () => ({
      model: plan,
      candidates: await context.selectRoutes(context.session, context.feature, plan.model, context.route),
    }),
  };
}

/** A named model must be of the endpoint's kind: an embedding model for embeddings, a chat model otherwise. */
function assertModelKind(model: CatalogModel, embeddings: boolean): void {
  if (isEmbeddingModel(model) === embeddings) return;
  throw new AppError(
    "invalid_request",
    embeddings
      ? `Model "${model.id}" is not an embedding model.`
      : `Model "${model.id}" is an embedding model; use /v1/embeddings.`,
  );
}
