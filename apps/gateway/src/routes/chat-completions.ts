import type { Hold } from "@modelfaucet/billing";
import {
  chatCompletionChunkSchema,
  chatCompletionSchema,
  chatRequestSchema,
  type ChatRequest,
} from "@modelfaucet/contract";
import { estimateMaxCharge, requiredChatCapabilities, type PiiVault } from "@modelfaucet/core";
import { boundPromptTokens, chatPromptTexts, type ChatProvider, type ChatResult } from "@modelfaucet/providers";
import { bearerToken, type RouteContract, withContract, type SessionContext } from "@modelfaucet/server-kit";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { cacheLookupFor, type CacheLookup, type ResponseCache } from "../cache/response-cache.js";
import { serveCachedAnswer } from "../cache/serve-cached-answer.js";
import { chatStreamWriter } from "../chat/chat-stream-writer.js";
import { logProviderWarnings } from "../chat/log-provider-warnings.js";
import { modelfaucetBlock, openAiUsage } from "../chat/modelfaucet-block.js";
import { parseGatewayBody } from "../chat/parse-gateway-body.js";
import { modelPlanner } from "../chat/model-planner.js";
import { assertFitsContextWindow, type ModelPlan, type RoutePlan } from "../chat/plan-route.js";
import { requestedFeatureKey } from "../chat/requested-feature-key.js";
import { upstreamBody } from "../chat/upstream-body.js";
import { upstreamSignal } from "../chat/upstream-signal.js";
import { upstreamUsageOr, withCost } from "../chat/usage-cost.js";
import { buildUsageRecord, type BilledCall } from "../chat/usage-record.js";
import { mapChatRequestTexts } from "../privacy/chat-request-texts.js";
import { redactRequest, vaultFor } from "../privacy/redact-request.js";
import { restoreChatCompletion } from "../privacy/restore-answer.js";
import { restoreChatChunks } from "../privacy/restore-chat-chunks.js";
import { runOnRoutes, type AttemptRecord } from "../reliability/run-on-routes.js";
import { holdOnRoute } from "../routing/hold-on-route.js";
import { requestedRoute } from "../routing/requested-route.js";
import type { RouteCandidate } from "../routing/route-candidates.js";
import { relayStream } from "../streaming/relay-stream.js";
import type { EndpointRouteOptions } from "./endpoint-route-options.js";

const chatContract = {
  summary: "A chat completion (OpenAI-compatible), streamed as server-sent events with `stream: true`",
  description:
    "`model` is a catalog id or `auto:<feature_key>`; `metadata.feature_key` selects the feature. The most the " +
    "call can cost is held before any upstream call (402 `insufficient_balance`); every answer carries the " +
    "`modelfaucet` block.",
  auth: "session",
  body: chatRequestSchema,
  response: chatCompletionSchema,
  eventStream: chatCompletionChunkSchema,
} satisfies RouteContract;

/** A request authenticated, parsed and routed, before any money is held. */
interface Planned {
  session: SessionContext;
  /** As it may leave for upstream: redacted when the feature says so. */
  request: ChatRequest;
  /** The placeholders its personal items were replaced with; undefined when the feature does not redact. */
  vault: PiiVault | undefined;
  featureKey: string;
  model: ModelPlan;
  candidates: RouteCandidate[];
  promptTokens: number;
  /** The response cache lookup, keyed on the request as the client sent it; undefined: the feature has no cache. */
  cache: CacheLookup | undefined;
}

/** A request whose upstream answered 2xx on one route, with that route's hold. */
interface Prepared {
  session: SessionContext;
  request: ChatRequest;
  featureKey: string;
  plan: RoutePlan;
  provider: ChatProvider;
  hold: Hold;
  attempts: AttemptRecord[];
  redactedItems: number;
}

/**
 * `POST /v1/chat/completions`: authenticate, choose the routes the feature's
 * policy allows, hold the most the chosen route can cost (402 before any
 * upstream call), call upstream with no transaction open (retrying and
 * falling back where allowed, see runOnRoutes), settle what was used in one
 * transaction. The `modelfaucet.route_mode` of the answer is the route that
 * served it.
 */
export async function chatCompletionsRoute(
  app: FastifyInstance,
  options: EndpointRouteOptions & { responseCache: ResponseCache },
) {
  const { sessions, features, catalog, billing, selectRoutes, reliability, responseCache } = options;

  async function plan(request: FastifyRequest): Promise<Planned> {
    const session = await sessions.authenticate(bearerToken(request));
    const parsed = parseGatewayBody(chatContract.body, request.body);
    const feature = await features.resolve(session.appId, requestedFeatureKey(parsed), session.featureKey);
    const route = requestedRoute(request.headers);
    const context = { session, feature, catalog, selectRoutes, route };
    const planner = await modelPlanner(parsed, requiredChatCapabilities(parsed), context);
    // Every route the Gateway serves is a cloud one (local calls go to the bridge, never through here).
    const vault = vaultFor(feature);
    const body = vault ? await redactRequest(vault, parsed, mapChatRequestTexts) : parsed;
    const promptTokens = await boundPromptTokens(() => chatPromptTexts(body.messages, body.tools));
    // The model is chosen once the prompt is counted: the cheapest sufficient one depends on its size.
    const { model, candidates } = await planner.plan(promptTokens);
    assertFitsContextWindow(model, promptTokens);
    await options.rateLimits.admit(request, session, feature, { promptTokens, maxOutputTokens: model.maxOutputTokens });
    const cache = cacheLookupFor(feature, session, model, parsed);
    return { session, request: body, vault, featureKey: feature.featureKey, model, candidates, promptTokens, cache };
  }

  /** Holds, calls and (where allowed) retries and falls back; resolves once a route answered 2xx. */
  async function callUpstream<T extends Pick<ChatResult, "warnings">>(
    planned: Planned,
    request: FastifyRequest,
    reply: FastifyReply,
    call: (provider: ChatProvider, body: ChatRequest, signal: AbortSignal) => Promise<T>,
  ): Promise<{ prepared: Prepared; result: T }> {
    const { session, model } = planned;
    const signal = upstreamSignal(reply, options.upstreamTimeoutMs);
    const body = upstreamBody(planned.request, model);
    const worstCase = {
      promptTokens: planned.promptTokens,
      maxOutputTokens: model.maxOutputTokens,
      price: model.model,
      pricing: model.pricing,
    };
    const holdOn = holdOnRoute(billing, session, request.id, planned.featureKey);
    const run = await runOnRoutes(reliability, {
      candidates: planned.candidates,
      endpoint: "chat completions",
      upstreamModel: model.model.upstreamModel,
      signal,
      adapter: (adapters) => adapters.chat,
      holdAmount: (candidate) => estimateMaxCharge({ ...worstCase, routeMode: candidate.routeMode }),
      hold: (amount, candidate) => holdOn(amount, candidate, worstCase),
      release: (hold) => billing.release(hold),
      call: async (provider) => {
        const result = await call(provider, body, signal);
        logProviderWarnings(request.log, provider.id, result.warnings);
        return result;
      },
    });
    const prepared: Prepared = {
      session,
      request: planned.request,
      featureKey: planned.featureKey,
      plan: { ...model, routeMode: run.candidate.routeMode },
      provider: run.adapter,
      hold: run.hold,
      attempts: run.attempts,
      redactedItems: planned.vault?.size ?? 0,
    };
    return { prepared, result: run.result };
  }

  function billedCall(prepared: Prepared): BilledCall {
    // `attempts` (spread from prepared): every upstream attempt, whichever route finally served.
    return { ...prepared, stream: prepared.request.stream === true, providerId: prepared.provider.id };
  }

  async function complete(planned: Planned, request: FastifyRequest, reply: FastifyReply) {
    const { prepared, result } = await callUpstream(planned, request, reply, (provider, body, signal) =>
      provider.chat(body, { signal, requestId: request.id }),
    );
    const usageRecord = buildUsageRecord(billedCall(prepared), reply, result.usage, result.usageSource, "completed");
    const settled = await billing.settle(prepared.hold, usageRecord);
    const answer = {
      ...restoreChatCompletion(result.body, planned.vault),
      usage: withCost(upstreamUsageOr(result.body.usage, openAiUsage(result.usage)), usageRecord.charge.retail),
      modelfaucet: modelfaucetBlock(request.id, prepared.featureKey, prepared.plan, usageRecord.charge.retail, settled),
    };
    await responseCache.rememberCompletion(planned.cache, answer, prepared.plan.routeMode);
    return answer;
  }

  async function streamToClient(planned: Planned, request: FastifyRequest, reply: FastifyReply) {
    // chatStream resolves only once upstream answered 2xx: every retry and fallback happens before the first byte.
    const { prepared, result: stream } = await callUpstream(planned, request, reply, (provider, body, signal) =>
      provider.chatStream(body, { signal, requestId: request.id }),
    );
    const includeUsage = prepared.request.stream_options?.include_usage === true;
    const upstream = responseCache.recording(planned.cache, restoreChatChunks(stream, planned.vault));
    await relayStream({
      request,
      reply,
      upstream,
      call: billedCall(prepared),
      billing,
      writer: chatStreamWriter(stream, request.id, includeUsage),
    });
    await responseCache.rememberRecorded(upstream, prepared.plan.routeMode);
  }

  app.post("/v1/chat/completions", withContract(chatContract), async (request, reply) => {
    const planned = await plan(request);
    const hit = await responseCache.find(planned.cache, planned.candidates);
    if (hit) return serveCachedAnswer({ request, reply, billing, planned, hit });
    if (planned.request.stream) return streamToClient(planned, request, reply);
    return complete(planned, request, reply);
  });
}
