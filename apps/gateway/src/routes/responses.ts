import { responseObjectSchema, responsesRequestSchema, responseStreamEventSchema } from "@modelfaucet/contract";
import { estimateMaxCharge, requiredResponsesCapabilities } from "@modelfaucet/core";
import { boundPromptTokens } from "@modelfaucet/providers";
import { bearerToken, type RouteContract, withContract } from "@modelfaucet/server-kit";
import type { FastifyInstance } from "fastify";
import { parseGatewayBody } from "../chat/parse-gateway-body.js";
import { modelPlanner } from "../chat/model-planner.js";
import { assertFitsContextWindow } from "../chat/plan-route.js";
import { requestedFeatureKey } from "../chat/requested-feature-key.js";
import { upstreamSignal } from "../chat/upstream-signal.js";
import { redactRequest, vaultFor } from "../privacy/redact-request.js";
import { mapResponsesRequestTexts } from "../privacy/responses-request-texts.js";
import { runOnRoutes } from "../reliability/run-on-routes.js";
import { responsesPromptTexts } from "../responses/responses-prompt.js";
import type { ResponsesUpstream, ServedResponses } from "../responses/responses-upstream.js";
import { responsesUpstreamForRoute } from "../responses/responses-upstream-for-route.js";
import { holdOnRoute } from "../routing/hold-on-route.js";
import { requestedRoute } from "../routing/requested-route.js";
import type { EndpointRouteOptions } from "./endpoint-route-options.js";

const responsesContract = {
  summary: "A Responses API call (OpenAI-compatible), streamed with `stream: true`",
  description:
    "Served natively by OpenAI routes, translated to chat for the others (fields chat cannot express are " +
    "refused there). Held, called and settled as chat completions.",
  auth: "session",
  body: responsesRequestSchema,
  response: responseObjectSchema,
  eventStream: responseStreamEventSchema,
} satisfies RouteContract;

/**
 * `POST /v1/responses`: planned, held, called and settled exactly as chat
 * completions, over the routes of the feature's route_preference (BYOK,
 * developer key, platform pool) with chat's retries, breakers and fallback
 * (runOnRoutes; a stream only before its first byte). Routes to an upstream
 * that speaks the Responses API (OpenAI: the platform's, or a stored `openai`
 * key) pass through unchanged; all others are translated to chat and back
 * (streaming included).
 */
export async function responsesRoute(app: FastifyInstance, options: EndpointRouteOptions) {
  const { sessions, features, catalog, selectRoutes, reliability, billing, upstreamTimeoutMs } = options;

  app.post("/v1/responses", withContract(responsesContract), async (request, reply) => {
    const session = await sessions.authenticate(bearerToken(request));
    const parsed = parseGatewayBody(responsesContract.body, request.body);
    const planView = {
      model: parsed.model,
      messages: [],
      metadata: parsed.metadata,
      max_tokens: parsed.max_output_tokens,
    };
    const feature = await features.resolve(session.appId, requestedFeatureKey(planView), session.featureKey);
    const context = { session, feature, catalog, selectRoutes, route: requestedRoute(request.headers) };
    const planner = await modelPlanner(planView, requiredResponsesCapabilities(parsed), context);
    // Redacted once, for every route: native ones pass it through, translated ones convert it to chat.
    const vault = vaultFor(feature);
    const body = vault ? await redactRequest(vault, parsed, mapResponsesRequestTexts) : parsed;
    const promptTokens = await boundPromptTokens(() => responsesPromptTexts(body));
    const { model, candidates } = await planner.plan(promptTokens);
    assertFitsContextWindow(model, promptTokens);
    await options.rateLimits.admit(request, session, feature, { promptTokens, maxOutputTokens: model.maxOutputTokens });
    const worstCase = (upstream: ResponsesUpstream) => ({
      promptTokens: upstream.promptTokens,
      maxOutputTokens: model.maxOutputTokens,
      price: model.model,
      pricing: model.pricing,
    });
    const stream = body.stream === true;
    const signal = upstreamSignal(reply, upstreamTimeoutMs);
    const holdOn = holdOnRoute(billing, session, request.id, feature.featureKey);
    const run = await runOnRoutes(reliability, {
      candidates,
      endpoint: "responses",
      upstreamModel: model.model.upstreamModel,
      signal,
      adapter: responsesUpstreamForRoute(body, model, promptTokens),
      holdAmount: (candidate, upstream) =>
        estimateMaxCharge({ ...worstCase(upstream), routeMode: candidate.routeMode }),
      hold: (amount, candidate, upstream) => holdOn(amount, candidate, worstCase(upstream)),
      release: (hold) => billing.release(hold),
      call: (upstream) => upstream.call(stream, { signal, requestId: request.id }),
    });
    const served: ServedResponses = {
      session,
      featureKey: feature.featureKey,
      plan: { ...model, routeMode: run.candidate.routeMode },
      hold: run.hold,
      stream,
      providerId: run.adapter.providerId,
      attempts: run.attempts,
      redactedItems: vault?.size ?? 0,
      vault,
      body,
      billing,
    };
    return run.result(served, request, reply);
  });
}
