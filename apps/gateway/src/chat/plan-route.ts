import type { ChatRequest } from "@modelfaucet/contract";
import { AppError, type RatingPricing, type RouteMode } from "@modelfaucet/core";
import type { Feature } from "../catalog/feature-catalog.js";
import type { CatalogModel, ModelCatalog } from "../catalog/model-catalog.js";

/** How one request will be served and priced. */
export interface RoutePlan {
  routeMode: RouteMode;
  model: CatalogModel;
  /** The most output tokens upstream may produce; the hold covers exactly this many. */
  maxOutputTokens: number;
  pricing: RatingPricing;
}

/** The most output tokens a request under `feature` may ask of `model`: the smaller of their two limits. */
export function outputTokenLimit(model: CatalogModel, feature: Feature): number {
  return Math.min(model.maxOutputTokens, feature.policy.max_output_tokens ?? model.maxOutputTokens);
}

/** The model, output limit and pricing of a request, before a route is chosen. */
export type ModelPlan = Omit<RoutePlan, "routeMode">;

/**
 * Picks the model for a request (the one it names, or the feature's
 * default for `auto:`) and the output limit the hold is sized for. Unknown
 * models and limits above the feature's are 400s — never a silent switch to
 * something the caller did not ask for.
 */
export async function planModel(request: ChatRequest, feature: Feature, catalog: ModelCatalog): Promise<ModelPlan> {
  const wanted = request.model.startsWith("auto:") ? feature.policy.default_model : request.model;
  if (!wanted)
    throw new AppError("invalid_request", `Feature "${feature.featureKey}" has no default_model for "auto:".`);
  const model = await catalog.find(wanted);
  if (!model)
    throw new AppError("invalid_request", `Unknown model "${wanted}"; GET /v1/models lists the ones available.`);
  const asked = request.max_completion_tokens ?? request.max_tokens ?? undefined;
  const limit = outputTokenLimit(model, feature);
  if (asked !== undefined && asked > limit) {
    throw new AppError("invalid_request", `max_tokens ${asked} exceeds this feature's limit of ${limit}.`);
  }
  return { model, maxOutputTokens: asked ?? limit, pricing: feature.pricing };
}

/**
 * Refuses, before any hold, a request whose prompt plus output limit do not
 * fit the model's context window: 400 `context_length_exceeded` (OpenAI's
 * code), so such a prompt is never sent or billed. `promptTokens` is the
 * hold's upper bound (boundPromptTokens): exact for ordinary text, above it
 * only for pathological pieces or past the counting budget — so a request
 * this refuses near the limit is one whose count could not be made exact.
 */
export function assertFitsContextWindow(plan: ModelPlan, promptTokens: number): void {
  const window = plan.model.contextWindow;
  if (promptTokens + plan.maxOutputTokens <= window) return;
  throw new AppError(
    "context_length_exceeded",
    `Model "${plan.model.id}" has a context window of ${window} tokens, but the prompt counts ${promptTokens} tokens ` +
      `and the output limit is ${plan.maxOutputTokens} tokens. Shorten the prompt or lower the output limit.`,
  );
}
