import { AppError, estimateMaxCharge } from "@modelfaucet/core";
import { countEmbeddingInputTokens, type EmbeddingProvider, type EmbeddingRequest } from "@modelfaucet/providers";
import { bearerToken, type SessionAuthenticator } from "@modelfaucet/server-kit";
import type { FastifyInstance } from "fastify";
import type { Billing } from "../billing/billing.js";
import type { FeatureCatalog } from "../catalog/feature-catalog.js";
import type { ModelCatalog } from "../catalog/model-catalog.js";
import { requestedFeatureKey } from "../chat/chat-request.js";
import { modelfaucetBlock } from "../chat/modelfaucet-block.js";
import { planRoute } from "../chat/plan-route.js";
import { callUpstreamOrRelease } from "../chat/provider-failure.js";
import { upstreamSignal } from "../chat/upstream-signal.js";
import { buildUsageRecord } from "../chat/usage-record.js";
import { isEmbeddingModel } from "../embeddings/embedding-model.js";
import { embeddingRequestSchema, type EmbeddingRequestBody } from "../embeddings/embedding-request.js";

export interface EmbeddingsRouteOptions {
  sessions: SessionAuthenticator;
  features: FeatureCatalog;
  catalog: ModelCatalog;
  /** Embedding upstreams by catalog provider name. */
  providers: Map<string, EmbeddingProvider>;
  billing: Billing;
  upstreamTimeoutMs: number;
}

/**
 * `POST /v1/embeddings`: billed per input token. Same path as chat: the
 * session, the feature, the catalog model (which must be an embedding model),
 * a hold of the counted input at the input price with the feature's markup
 * (402 before any upstream call), the upstream call, then one settlement of
 * the tokens upstream reported (counted when it reported none).
 */
export async function embeddingsRoute(app: FastifyInstance, options: EmbeddingsRouteOptions) {
  const { sessions, features, catalog, providers, billing } = options;
  const reachable = new Set(providers.keys());

  app.post("/v1/embeddings", async (request, reply) => {
    const session = await sessions.authenticate(bearerToken(request));
    const body = embeddingRequestSchema.parse(request.body);
    const chatView = { model: body.model, messages: [], metadata: body.metadata };
    const feature = await features.resolve(session.appId, requestedFeatureKey(chatView), session.featureKey);
    const model = await catalog.find(
      body.model.startsWith("auto:") ? (feature.policy.default_model ?? "") : body.model,
    );
    if (model && !isEmbeddingModel(model)) {
      throw new AppError("invalid_request", `Model "${model.id}" is not an embedding model.`);
    }
    // Embeddings produce no output: the hold covers the input only.
    const plan = { ...(await planRoute(chatView, feature, catalog, reachable)), maxOutputTokens: 0 };
    const promptTokens = countEmbeddingInputTokens(body.input);
    const maxCharge = estimateMaxCharge({
      promptTokens,
      maxOutputTokens: 0,
      price: plan.model,
      pricing: plan.pricing,
      routeMode: plan.routeMode,
    });
    const hold = await billing.hold(session, maxCharge, request.id);
    const provider = providers.get(plan.model.provider)!;
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
