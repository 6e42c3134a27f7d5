import { embeddingRequestSchema, embeddingsResponseSchema, type EmbeddingRequestBody } from "@modelfaucet/contract";
import { estimateMaxCharge } from "@modelfaucet/core";
import type { EmbeddingRequest } from "@modelfaucet/providers";
import { bearerToken, type RouteContract, withContract } from "@modelfaucet/server-kit";
import type { FastifyInstance } from "fastify";
import { modelfaucetBlock } from "../chat/modelfaucet-block.js";
import { parseGatewayBody } from "../chat/parse-gateway-body.js";
import { modelPlanner } from "../chat/model-planner.js";
import { requestedFeatureKey } from "../chat/requested-feature-key.js";
import { upstreamSignal } from "../chat/upstream-signal.js";
import { withCost } from "../chat/usage-cost.js";
import { buildUsageRecord } from "../chat/usage-record.js";
import { assertEmbeddingInputsFit, countEmbeddingInputTokens } from "../embeddings/embedding-input-tokens.js";
import { runOnRoutes } from "../reliability/run-on-routes.js";
import { holdOnRoute } from "../routing/hold-on-route.js";
import { requestedRoute } from "../routing/requested-route.js";
import type { EndpointRouteOptions } from "./endpoint-route-options.js";

const embeddingsContract = {
  summary: "Embeddings (OpenAI-compatible), billed per input token",
  description:
    "`model` is a catalog embedding model or `auto:<feature_key>`; `metadata.feature_key` selects the feature and " +
    "is not forwarded. 402 before any upstream call when the wallet cannot cover the input.",
  auth: "session",
  body: embeddingRequestSchema,
  response: embeddingsResponseSchema,
} satisfies RouteContract;

/**
 * `POST /v1/embeddings`: billed per input token. Same path as chat: the
 * session, the feature, the catalog model (which must be an embedding model),
 * the routes of the feature's route_preference that can embed (those whose
 * credential has no embeddings API are skipped), a hold of the counted input
 * at each route's price before its first call (402 before any upstream call;
 * a developer key's budget held too), the upstream call with chat's retries,
 * breakers and fallback (runOnRoutes), then one settlement of the tokens
 * upstream reported (counted when it reported none).
 */
export async function embeddingsRoute(app: FastifyInstance, options: EndpointRouteOptions) {
  const { sessions, features, catalog, selectRoutes, reliability, billing } = options;

  app.post("/v1/embeddings", withContract(embeddingsContract), async (request, reply) => {
    const session = await sessions.authenticate(bearerToken(request));
    const body = parseGatewayBody(embeddingsContract.body, request.body);
    // Embeddings produce no output (max_tokens 0): the hold covers the input only.
    const chatView = { model: body.model, messages: [], metadata: body.metadata, max_tokens: 0 };
    const feature = await features.resolve(session.appId, requestedFeatureKey(chatView), session.featureKey);
    const context = { session, feature, catalog, selectRoutes, route: requestedRoute(request.headers) };
    const planner = await modelPlanner(chatView, ["embeddings"], context);
    const inputTokens = await countEmbeddingInputTokens(body.input);
    // Each input, not their sum, must fit the window; all of them are billed.
    const { model, candidates } = await planner.plan(inputTokens.total, inputTokens.largest);
    assertEmbeddingInputsFit(inputTokens, model.model);
    const promptTokens = inputTokens.total;
    await options.rateLimits.admit(request, session, feature, { promptTokens, maxOutputTokens: 0 });
    const worstCase = {
      promptTokens,
      maxOutputTokens: 0,
      price: model.model,
      pricing: model.pricing,
    };
    const signal = upstreamSignal(reply, options.upstreamTimeoutMs);
    const upstreamBody = upstreamEmbeddingBody(body, model.model.upstreamModel);
    const holdOn = holdOnRoute(billing, session, request.id, feature.featureKey);
    const run = await runOnRoutes(reliability, {
      candidates,
      endpoint: "embeddings",
      upstreamModel: model.model.upstreamModel,
      signal,
      adapter: (adapters) => adapters.embeddings,
      holdAmount: (candidate) => estimateMaxCharge({ ...worstCase, routeMode: candidate.routeMode }),
      hold: (amount, candidate) => holdOn(amount, candidate, worstCase),
      release: (hold) => billing.release(hold),
      call: (provider) => provider.embed(upstreamBody, { signal, requestId: request.id }),
    });
    const { result, hold, attempts } = run;
    const plan = { ...model, routeMode: run.candidate.routeMode };
    const providerId = run.adapter.id;
    // Embeddings are not redacted: a vector cannot be restored, and a placeholder would change what is embedded.
    const call = {
      session,
      featureKey: feature.featureKey,
      plan,
      hold,
      stream: false,
      providerId,
      attempts,
      redactedItems: 0,
    };
    const usage = { inputTokens: result.inputTokens, cachedInputTokens: 0, outputTokens: 0 };
    const record = buildUsageRecord(call, reply, usage, result.usageSource, "completed");
    const settled = await billing.settle(hold, record);
    return {
      object: "list",
      data: result.body.data,
      model: typeof result.body.model === "string" ? result.body.model : plan.model.upstreamModel,
      usage: withCost({ prompt_tokens: usage.inputTokens, total_tokens: usage.inputTokens }, record.charge.retail),
      modelfaucet: modelfaucetBlock(request.id, feature.featureKey, plan, record.charge.retail, settled),
    };
  });
}

/** The body sent upstream: the client's, with the provider's model name and without our `metadata`. */
function upstreamEmbeddingBody(body: EmbeddingRequestBody, upstreamModel: string): EmbeddingRequest {
  const { metadata: _ours, ...rest } = body;
  return { ...rest, model: upstreamModel };
}
