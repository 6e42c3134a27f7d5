import type { ChatRequest, ModelChoice } from "@modelfaucet/contract";
import { AppError, type RatingPricing, type RouteMode } from "@modelfaucet/core";
import type { SessionContext } from "@modelfaucet/server-kit";
import type { Feature } from "../catalog/feature-catalog.js";
import type { CatalogModel, ModelCatalog } from "../catalog/model-catalog.js";
import type { RouteChoice } from "../routing/requested-route.js";
import type { RouteCandidate, RouteSelector } from "../routing/route-candidates.js";

/** How one request will be served and priced. */
export interface RoutePlan {
  routeMode: RouteMode;
  model: CatalogModel;
  /** The most output tokens upstream may produce; the hold covers exactly this many. */
  maxOutputTokens: number;
  pricing: RatingPricing;
  /** Why this model, when the feature's model policy chose it; undefined when the request or policy named it. */
  choice?: ModelChoice | undefined;
}

/** The most output tokens a request under `feature` may ask of `model`: the smaller of their two limits. */
export function outputTokenLimit(model: CatalogModel, feature: Feature): number {
  return Math.min(model.maxOutputTokens, feature.policy.max_output_tokens ?? model.maxOutputTokens);
}

/** The model, output limit and pricing of a request, before a route is chosen. */
export type ModelPlan = Omit<RoutePlan, "routeMode">;

/** The request fields that decide its model, in chat's shape (Responses and embeddings map onto it). */
export type ModelRequest = Pick<ChatRequest, "model" | "max_tokens" | "max_completion_tokens">;

/** The `max_tokens` a request asks, if any. */
export const requestedOutputTokens = (request: ModelRequest): number | undefined =>
  request.max_completion_tokens ?? request.max_tokens ?? undefined;

/**
 * Picks the model for a request (the one it names, or the feature's
 * default for `auto:`) and the output limit the hold is sized for. Unknown
 * models and limits above the feature's are 400s — never a silent switch to
 * something the caller did not ask for.
 */
export async function planModel(request: ModelRequest, feature: Feature, catalog: ModelCatalog): Promise<ModelPlan> {
  const wanted = request.model.startsWith("auto:") ? feature.policy.default_model : request.model;
  if (!wanted)
    throw new AppError("invalid_request", `Feature "${feature.featureKey}" has no default_model for "auto:".`);
  const model = await catalog.find(wanted);
  if (!model)
    throw new AppError("invalid_request", `Unknown model "${wanted}"; GET /v1/models lists the ones available.`);
  const asked = requestedOutputTokens(request);
  const limit = outputTokenLimit(model, feature);
  if (asked !== undefined && asked > limit) {
    throw new AppError("invalid_request", `max_tokens ${asked} exceeds this feature's limit of ${limit}.`);
  }
  return { model, maxOutputTokens: asked ?? limit, pricing: feature.pricing };
}

/** Everything besides the request that choosing its model and routes reads. */
export interface PlanContext {
  session: SessionContext;
  feature: Feature;
  catalog: ModelCatalog;
  selectRoutes: RouteSelector;
  /** The routes the request asked for (x-modelfaucet-route). */
  route: RouteChoice;
}

/** A request's model and the routes that may serve it, in the feature's preference order. */
export interface PlannedModel {
  model: ModelPlan;
  candidates: RouteCandidate[];
}

/**
 * A request's model, decided in two steps because the cheapest sufficient
 * model depends on the prompt's size, which is counted (after redaction)
 * between them.
 */
export interface ModelPlanner {
  /**
   * The model for a prompt of `promptTokens` (all billed; `windowTokens` of
   * them must fit the context window, default all) and its routes.
   */
  plan(promptTokens: number, windowTokens?: number): Promise<PlannedModel>;
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
