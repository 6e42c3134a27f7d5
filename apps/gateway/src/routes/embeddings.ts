import { AppError, estimateMaxCharge } from "@modelfaucet/core";
import { countEmbeddingInputTokens, type EmbeddingRequest } from "@modelfaucet/providers";
import { bearerToken, type SessionAuthenticator } from "@modelfaucet/server-kit";
import type { FastifyInstance } from "fastify";
import type { Billing } from "../billing/billing.js";
import type { FeatureCatalog } from "../catalog/feature-catalog.js";
import type { ModelCatalog } from "../catalog/model-catalog.js";
import { requestedFeatureKey } from "../chat/chat-request.js";
import { modelfaucetBlock } from "../chat/modelfaucet-block.js";
import { planModel } from "../chat/plan-route.js";
import { callUpstreamOrRelease } from "../chat/provider-failure.js";
import { upstreamSignal } from "../chat/upstream-signal.js";
import { buildUsageRecord } from "../chat/usage-record.js";
import { isEmbeddingModel } from "../embeddings/embedding-model.js";
import { embeddingRequestSchema, type EmbeddingRequestBody } from "../embeddings/embedding-request.js";
import { budgetReservation } from "../routing/budget-reservation.js";
import { firstCapableRoute } from "../routing/first-capable-route.js";
import type { RouteSelector } from "../routing/route-candidates.js";

export interface EmbeddingsRouteOptions {
  sessions: SessionAuthenticator;
  features: FeatureCatalog;
  catalog: ModelCatalog;
  /** Chooses the routes (BYOK, developer key, platform pool) in policy order, as for chat. */
  selectRoutes: RouteSelector;
  billing: Billing;
  upstreamTimeoutMs: number;
}

/**
 * `POST /v1/embeddings`: billed per input token. Same path as chat: the
 * session, the feature, the catalog model (which must be an embedding model),
 * the first route of the feature's route_preference that can embed, a hold of
 * the counted input at the route's price (402 before any upstream call; a
 * developer key's budget held too), the upstream call, then one settlement of
 * the tokens upstream reported (counted when it reported none).
 */
export async function embeddingsRoute(app: FastifyInstance, options: EmbeddingsRouteOptions) {
  const { sessions, features, catalog, selectRoutes, billing } = options;

  app.post("/v1/embeddings", async (request, reply) => {
    const session = await sessions.authenticate(bearerToken(request));
    const body = embeddingRequestSchema.parse(request.body);
    const chatView = { model: body.model, messages: [], metadata: body.metadata };
    const feature = await features.resolve(session.appId, requestedFeatureKey(chatView), session.featureKey);
    // Embeddings produce no output: the hold covers the input only.
    const model = { ...(await planModel(chatView, feature, catalog)), maxOutputTokens: 0 };
    if (!isEmbeddingModel(model.model)) {
      throw new AppError("invalid_request", `Model "${model.model.id}" is not an embedding model.`);
    }
    const candidates = await selectRoutes(session, feature, model.model);
    const route = await firstCapableRoute(candidates, (adapters) => adapters.embeddings, "embeddings");
    const provider = route.adapter;
    const plan = { ...model, routeMode: route.candidate.routeMode };
    const worstCase = { promptTokens: countEmbeddingInputTokens(body.input), maxOutputTokens: 0, price: plan.model };
    const pricing = plan.pricing;
    const maxCharge = estimateMaxCharge({ ...worstCase, pricing, routeMode: plan.routeMode });
    const budget = budgetReservation(route.candidate, { ...worstCase, pricing });
    const hold = await billing.hold(session, maxCharge, request.id, budget);
    const result = await callUpstreamOrRelease(
      () => billing.release(hold),
      () =>
        provider.embed(upstreamEmbeddingBody(body, plan.model.upstreamModel), {
          signal: upstreamSignal(reply, options.upstreamTimeoutMs),
          requestId: request.id,
        }),
    );
    const call = { session, featureKey: feature.featureKey, plan, hold, stream: false, providerId: provider.id };
    const usage = { inputTokens: result.inputTokens, cachedInputTokens: 0, outputTokens: 0 };
    const record = buildUsageRecord(call, request.id, usage, result.usageSource, "completed");
    await billing.settle(hold, record);
    return {
      object: "list",
      data: result.body.data,
      model: typeof result.body.model === "string" ? result.body.model : plan.model.upstreamModel,
      usage: { prompt_tokens: usage.inputTokens, total_tokens: usage.inputTokens },
      modelfaucet: modelfaucetBlock(request.id, feature.featureKey, plan, record.charge.retail),
    };
  });
}

/** The body sent upstream: the client's, with the provider's model name and without our `metadata`. */
function upstreamEmbeddingBody(body: EmbeddingRequestBody, upstreamModel: string): EmbeddingRequest {
  const { metadata: _ours, ...rest } = body;
  return { ...rest, model: upstreamModel };
}
