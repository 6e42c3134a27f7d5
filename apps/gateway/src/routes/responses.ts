import { AppError, estimateMaxCharge } from "@modelfaucet/core";
import { countChatPromptTokens, countTextTokens } from "@modelfaucet/providers";
import { bearerToken, type SessionAuthenticator } from "@modelfaucet/server-kit";
import type { FastifyInstance } from "fastify";
import type { Billing } from "../billing/billing.js";
import type { FeatureCatalog } from "../catalog/feature-catalog.js";
import type { ModelCatalog } from "../catalog/model-catalog.js";
import { requestedFeatureKey } from "../chat/chat-request.js";
import { planModel } from "../chat/plan-route.js";
import { isEmbeddingModel } from "../embeddings/embedding-model.js";
import { convertResponsesToChat } from "../responses/convert-responses-to-chat.js";
import { completeNative, streamNative } from "../responses/native-responses.js";
import { responsesRequestSchema, type ResponsesRequestBody } from "../responses/responses-request.js";
import { completeTranslated, streamTranslated } from "../responses/translated-responses.js";
import { budgetReservation } from "../routing/budget-reservation.js";
import { firstCapableRoute } from "../routing/first-capable-route.js";
import type { RouteSelector } from "../routing/route-candidates.js";

export interface ResponsesRouteOptions {
  sessions: SessionAuthenticator;
  features: FeatureCatalog;
  catalog: ModelCatalog;
  /** Chooses the routes (BYOK, developer key, platform pool) in policy order, as for chat. */
  selectRoutes: RouteSelector;
  billing: Billing;
  upstreamTimeoutMs: number;
}

/**
 * `POST /v1/responses`: planned, held and settled exactly as chat
 * completions, on the first route of the feature's route_preference (BYOK,
 * developer key, platform pool). Routes to an upstream that speaks the
 * Responses API (OpenAI: the platform's, or a stored `openai` key) pass
 * through unchanged; all others are translated to chat and back (streaming
 * included).
 */
export async function responsesRoute(app: FastifyInstance, options: ResponsesRouteOptions) {
  const { sessions, features, catalog, selectRoutes, billing, upstreamTimeoutMs } = options;

  app.post("/v1/responses", async (request, reply) => {
    const session = await sessions.authenticate(bearerToken(request));
    const body = responsesRequestSchema.parse(request.body);
    const planView = { model: body.model, messages: [], metadata: body.metadata, max_tokens: body.max_output_tokens };
    const feature = await features.resolve(session.appId, requestedFeatureKey(planView), session.featureKey);
    const model = await planModel(planView, feature, catalog);
    if (isEmbeddingModel(model.model)) {
      throw new AppError("invalid_request", `Model "${model.model.id}" is an embedding model; use /v1/embeddings.`);
    }
    const candidates = await selectRoutes(session, feature, model.model);
    // Every route has a chat adapter: the first candidate serves, natively when it can.
    const route = await firstCapableRoute(candidates, (adapters) => adapters, "responses");
    const plan = { ...model, routeMode: route.candidate.routeMode };
    const native = route.adapter.responses;
    // Translate before holding: a request chat cannot carry is a 400 with nothing held.
    const chat = native ? undefined : convertResponsesToChat(body);
    const promptTokens = chat ? countChatPromptTokens(chat.messages) : nativePromptTokens(body);
    const worstCase = { promptTokens, maxOutputTokens: plan.maxOutputTokens, price: plan.model, pricing: plan.pricing };
    const maxCharge = estimateMaxCharge({ ...worstCase, routeMode: plan.routeMode });
    const hold = await billing.hold(session, maxCharge, request.id, budgetReservation(route.candidate, worstCase));
    const stream = body.stream === true;
    const billed = { session, featureKey: feature.featureKey, plan, hold, stream, billing, upstreamTimeoutMs, body };
    if (native) {
      const call = { ...billed, provider: native, providerId: native.id, promptTokens };
      return stream ? streamNative(call, request, reply) : completeNative(call, request, reply);
    }
    const provider = route.adapter.chat;
    const call = { ...billed, chat: chat!, provider, providerId: provider.id };
    return stream ? streamTranslated(call, request, reply) : completeTranslated(call, request, reply);
  });
}

/**
 * The hold's prompt estimate on the native path, where input items may be
 * of any type: message items as chat would count them, else the JSON text of
 * the whole input, plus instructions and tool definitions.
 */
function nativePromptTokens(body: ResponsesRequestBody): number {
  let tokens: number;
  try {
    tokens = countChatPromptTokens(convertResponsesToChat({ ...body, tools: undefined }).messages);
  } catch {
    tokens = countTextTokens(typeof body.input === "string" ? body.input : JSON.stringify(body.input));
    tokens += countTextTokens(body.instructions ?? "");
  }
  return body.tools === undefined ? tokens : tokens + countTextTokens(JSON.stringify(body.tools));
}
