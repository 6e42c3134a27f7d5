import type { ModelChoice } from "@modelfaucet/contract";
import {
  AppError,
  chooseCheapestModel,
  type CheapestModelChoice,
  type ModelCapability,
  type ModelOption,
} from "@modelfaucet/core";
import type { CatalogModel } from "../catalog/model-catalog.js";
import { isEmbeddingModel } from "../embeddings/embedding-model.js";
import type { RouteCandidate } from "../routing/route-candidates.js";
import type { ModelPlanner, PlanContext } from "./plan-route.js";

/** A model the feature may use with the routes this session can take to it. */
interface RoutableModel extends ModelOption {
  model: CatalogModel;
  routes: RouteCandidate[];
}

/** The routes-have-no-credential refusal of selectRoutes, as opposed to a policy refusal (409, local only). */
const noCredential = (error: unknown) =>
  error instanceof AppError && error.code === "no_available_route" && error.status === 503;

/**
 * The models `auto:` may choose from: `policy.models` (else the whole active
 * catalog), of the request's kind (embedding models for embeddings, the
 * others for chat), each with the routes selectRoutes gives this session
 * under the feature's route preference — a model without one is left out.
 * Catalog and key lists are cached (model-catalog.ts, route-candidates.ts):
 * this costs no database round trip per model.
 */
async function routableModels(context: PlanContext, embeddings: boolean): Promise<RoutableModel[]> {
  const { feature, session, route } = context;
  const allowed = feature.policy.models;
  const models = (await context.catalog.all()).filter(
    (model) => isEmbeddingModel(model) === embeddings && (allowed === undefined || allowed.includes(model.id)),
  );
  const kind = embeddings ? "embedding model" : "chat model";
  if (models.length === 0) {
    const where = allowed === undefined ? "in the catalog" : `among policy.models (${allowed.join(", ")})`;
    throw new AppError("invalid_request", `Feature "${feature.featureKey}" has no active ${kind} ${where}.`);
  }
  const routes = await Promise.allSettled(models.map((model) => context.selectRoutes(session, feature, model, route)));
  const routable: RoutableModel[] = [];
  for (const [index, result] of routes.entries()) {
    if (result.status === "rejected") {
      // A policy refusal (a route mode the feature does not allow, local only) is the same for every model.
      if (!noCredential(result.reason)) throw result.reason;
      continue;
    }
    const model = models[index]!;
    routable.push({
      id: model.id,
      price: model,
      contextWindow: model.contextWindow,
      maxOutputTokens: model.maxOutputTokens,
      capabilities: model.capabilities,
      routeMode: result.value[0]!.routeMode,
      model,
      routes: result.value,
    });
  }
  if (routable.length > 0) return routable;
  throw new AppError(
    "no_available_route",
    `No credential can serve any of the ${models.length} ${kind}s feature "${feature.featureKey}" may use ` +
      `on the routes it allows.`,
    { status: 503 },
  );
}

/** Why nothing was chosen, as the 400 the caller gets. */
function refusal(
  choice: Exclude<CheapestModelChoice<RoutableModel>, { outcome: "chosen" }>,
  featureKey: string,
  count: number,
): AppError {
  const models = `the ${count} model${count === 1 ? "" : "s"} feature "${featureKey}" may use`;
  switch (choice.outcome) {
    case "missing_capabilities": {
      const missing = choice.unavailable.length > 0 ? choice.unavailable : choice.needed;
      const together = choice.unavailable.length > 0 ? "" : " together";
      return new AppError(
        "invalid_request",
        `None of ${models} supports ${missing.join(" and ")}${together}, which this request needs ` +
          `(tools, response_format json_schema, image inputs). An operator records capabilities in the catalog.`,
      );
    }
    case "output_limit_exceeded":
      return new AppError(
        "invalid_request",
        `The requested max_tokens exceeds the output limit of every one of ${models} ` +
          `(at most ${choice.largestOutputLimit}).`,
      );
    case "context_window_exceeded":
      return new AppError(
        "context_length_exceeded",
        `No model of ${models.replace(/^the /, "")} can take this prompt with its output limit: the largest ` +
          `context window among those that could serve it is ${choice.largestWindow} tokens. ` +
          `Shorten the prompt or lower the output limit.`,
      );
    case "no_candidates":
      return new AppError("no_available_route", `Feature "${featureKey}" has no model to choose from.`, {
        status: 503,
      });
  }
}

function reason(
  chosen: Extract<CheapestModelChoice<RoutableModel>, { outcome: "chosen" }>,
  promptTokens: number,
  capabilities: readonly ModelCapability[],
): string {
  const embeddings = capabilities.includes("embeddings");
  const kind = embeddings ? "embedding models" : "models";
  const tokens = embeddings
    ? `${promptTokens} input tokens`
    : `${promptTokens} prompt + ${chosen.outputTokens} output tokens`;
  const needs = capabilities.filter((capability) => capability !== "embeddings");
  const withNeeds = needs.length > 0 ? ` with ${needs.join(", ")}` : "";
  const which = chosen.fitting === 1 ? `the only one of the ${kind}` : `cheapest of ${chosen.fitting} ${kind}`;
  return `${which} fitting ${tokens}${withNeeds}`;
}

/**
 * `model_policy: cheapest_sufficient` for `auto:` (chooseCheapestModel):
 * the models the feature may use on a route this session can take, and for
 * a counted prompt the one whose worst-case charge on its first route is
 * lowest among those that fit — the feature's default_model winning a tie.
 * Nothing fits: 400 `context_length_exceeded` when only the window is
 * short, else `invalid_request` naming what is missing.
 */
export async function cheapestModelPlanner(
  requested: number | undefined,
  capabilities: readonly ModelCapability[],
  context: PlanContext,
): Promise<ModelPlanner> {
  const { feature } = context;
  const featureLimit = feature.policy.max_output_tokens ?? Number.MAX_SAFE_INTEGER;
  if (requested !== undefined && requested > featureLimit) {
    throw new AppError("invalid_request", `max_tokens ${requested} exceeds this feature's limit of ${featureLimit}.`);
  }
  const options = await routableModels(context, capabilities.includes("embeddings"));
  return {
    plan: async (promptTokens, windowTokens) => {
      const needs = {
        promptTokens,
        windowTokens,
        requestedOutputTokens: requested,
        featureMaxOutputTokens: featureLimit,
        capabilities,
      };
      const chosen = chooseCheapestModel(options, needs, feature.pricing, feature.policy.default_model);
      if (chosen.outcome !== "chosen") throw refusal(chosen, feature.featureKey, options.length);
      const choice: ModelChoice = {
        policy: "cheapest_sufficient",
        reason: reason(chosen, promptTokens, capabilities),
        candidates: chosen.fitting,
        considered: options.length,
      };
      const model = {
        model: chosen.option.model,
        maxOutputTokens: chosen.outputTokens,
        pricing: feature.pricing,
        choice,
      };
      return { model, candidates: chosen.option.routes };
    },
  };
}
