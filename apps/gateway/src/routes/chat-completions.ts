import { estimateMaxCharge, type TokenUsage } from "@modelfaucet/core";
import { boundPromptTokens, chatPromptTexts, encodeSseData, SSE_DONE, type ChatProvider } from "@modelfaucet/providers";
import { bearerToken, recordRequest, type SessionAuthenticator, type SessionContext } from "@modelfaucet/server-kit";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Billing, Hold, Settled, UsageRecord } from "../billing/billing.js";
import type { FeatureCatalog } from "../catalog/feature-catalog.js";
import type { ModelCatalog } from "../catalog/model-catalog.js";
import { chatRequestSchema, requestedFeatureKey, type ChatRequest } from "../chat/chat-request.js";
import { FinishChunkRelay } from "../chat/finish-chunk-relay.js";
import { modelfaucetBlock, openAiUsage } from "../chat/modelfaucet-block.js";
import { parseGatewayBody } from "../chat/parse-gateway-body.js";
import { assertFitsContextWindow, planModel, type ModelPlan, type RoutePlan } from "../chat/plan-route.js";
import { providerFailure } from "../chat/provider-failure.js";
import { upstreamBody } from "../chat/upstream-body.js";
import { upstreamSignal } from "../chat/upstream-signal.js";
import { buildUsageRecord } from "../chat/usage-record.js";
import { openEventStream } from "../chat/open-event-stream.js";
import { runOnRoutes, type AttemptRecord, type Reliability } from "../reliability/run-on-routes.js";
import { budgetReservation } from "../routing/budget-reservation.js";
import type { RouteCandidate, RouteSelector } from "../routing/route-candidates.js";

export interface ChatRouteOptions {
  sessions: SessionAuthenticator;
  features: FeatureCatalog;
  catalog: ModelCatalog;
  /** Chooses the routes (BYOK, developer key, platform pool) a request may take, in policy order. */
  selectRoutes: RouteSelector;
  reliability: Reliability;
  billing: Billing;
  upstreamTimeoutMs: number;
}

/** A request authenticated, parsed and routed, before any money is held. */
interface Planned {
  session: SessionContext;
  request: ChatRequest;
  featureKey: string;
  model: ModelPlan;
  candidates: RouteCandidate[];
  promptTokens: number;
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
}

/**
 * `POST /v1/chat/completions`: authenticate, choose the routes the feature's
 * policy allows, hold the most the chosen route can cost (402 before any
 * upstream call), call upstream with no transaction open (retrying and
 * falling back where allowed, see runOnRoutes), settle what was used in one
 * transaction. The `modelfaucet.route_mode` of the answer is the route that
 * served it.
 */
export async function chatCompletionsRoute(app: FastifyInstance, options: ChatRouteOptions) {
  const { sessions, features, catalog, billing, selectRoutes, reliability } = options;

  async function plan(request: FastifyRequest): Promise<Planned> {
    const session = await sessions.authenticate(bearerToken(request));
    const body = parseGatewayBody(chatRequestSchema, request.body);
    const feature = await features.resolve(session.appId, requestedFeatureKey(body), session.featureKey);
    const model = await planModel(body, feature, catalog);
    const promptTokens = await boundPromptTokens(() => chatPromptTexts(body.messages, body.tools));
    assertFitsContextWindow(model, promptTokens);
    const candidates = await selectRoutes(session, feature, model.model);
    return { session, request: body, featureKey: feature.featureKey, model, candidates, promptTokens };
  }

  /** Holds, calls and (where allowed) retries and falls back; resolves once a route answered 2xx. */
  async function callUpstream<T>(
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
    const run = await runOnRoutes(reliability, {
      candidates: planned.candidates,
      endpoint: "chat completions",
      upstreamModel: model.model.upstreamModel,
      signal,
      adapter: (adapters) => adapters.chat,
      holdAmount: (candidate) => estimateMaxCharge({ ...worstCase, routeMode: candidate.routeMode }),
      hold: (amount, candidate) => billing.hold(session, amount, request.id, budgetReservation(candidate, worstCase)),
      release: (hold) => billing.release(hold),
      call: (provider) => call(provider, body, signal),
    });
    const prepared: Prepared = {
      session,
      request: planned.request,
      featureKey: planned.featureKey,
      plan: { ...model, routeMode: run.candidate.routeMode },
      provider: run.adapter,
      hold: run.hold,
      attempts: run.attempts,
    };
    return { prepared, result: run.result };
  }

  function record(
    prepared: Prepared,
    requestId: string,
    usage: TokenUsage,
    usageSource: UsageRecord["usageSource"],
    outcome: UsageRecord["outcome"],
  ): UsageRecord {
    // `attempts` (spread from prepared): every upstream attempt, whichever route finally served.
    const call = { ...prepared, stream: prepared.request.stream === true, providerId: prepared.provider.id };
    return buildUsageRecord(call, requestId, usage, usageSource, outcome);
  }

  async function complete(planned: Planned, request: FastifyRequest, reply: FastifyReply) {
    const { prepared, result } = await callUpstream(planned, request, reply, (provider, body, signal) =>
      provider.chat(body, { signal, requestId: request.id }),
    );
    const usageRecord = record(prepared, request.id, result.usage, result.usageSource, "completed");
    const settled = await billing.settle(prepared.hold, usageRecord);
    return {
      ...result.body,
      usage: result.body.usage ?? openAiUsage(result.usage),
      modelfaucet: modelfaucetBlock(request.id, prepared.featureKey, prepared.plan, usageRecord.charge.retail, settled),
    };
  }

  async function streamToClient(planned: Planned, request: FastifyRequest, reply: FastifyReply) {
    // chatStream resolves only once upstream answered 2xx: every retry and fallback happens before the first byte.
    const { prepared, result: stream } = await callUpstream(planned, request, reply, (provider, body, signal) =>
      provider.chatStream(body, { signal, requestId: request.id }),
    );
    // From here the response is ours to write: Fastify's hooks no longer run.
    const client = openEventStream(request, reply, () => stream.cancel());
    const raw = client.raw;
    const writeData = (payload: object) => raw.write(encodeSseData(JSON.stringify(payload)));
    const chunks = new FinishChunkRelay((text) => raw.write(text));
    let failure: unknown;
    let lastChunk: Record<string, unknown> | undefined;
    try {
      for await (const chunk of stream) {
        if (client.clientGone) break;
        lastChunk = chunk;
        chunks.relay(chunk);
      }
    } catch (error) {
      failure = error;
    }
    const outcome = client.clientGone ? "client_aborted" : failure ? "upstream_failed" : "completed";
    const usageRecord = record(prepared, request.id, stream.usage, stream.usageSource, outcome);
    let settled: Settled | undefined;
    try {
      settled = await billing.settle(prepared.hold, usageRecord);
    } catch (error) {
      // The hold stays and expires: the user is not charged; the failure alerts through logs and metrics.
      request.log.error({ err: error }, "settling a streamed request failed; its hold will expire");
    }
    if (!client.clientGone) {
      const { featureKey, plan } = prepared;
      const modelfaucet = modelfaucetBlock(request.id, featureKey, plan, usageRecord.charge.retail, settled);
      const includeUsage = prepared.request.stream_options?.include_usage === true;
      const { id, created, model } = lastChunk ?? {};
      const emptyChunk = { id, object: "chat.completion.chunk", created, model, choices: [] };
      if (failure) {
        chunks.flush();
        const { code, message } = providerFailure(failure);
        writeData({ error: { code, message, request_id: request.id }, modelfaucet });
      } else {
        // The final chunks carry the block: the held finish chunk, and the usage chunk when asked for; a stream
        // that ended without a finish chunk gets an empty one of its own.
        const carried = chunks.finish({ modelfaucet });
        if (includeUsage) writeData({ ...emptyChunk, usage: openAiUsage(usageRecord.usage), modelfaucet });
        else if (!carried) writeData({ ...emptyChunk, modelfaucet });
        raw.write(SSE_DONE);
      }
      raw.end();
    }
    recordRequest(app.metrics, request, 200, reply.elapsedTime);
  }

  app.post("/v1/chat/completions", async (request, reply) => {
    const planned = await plan(request);
    if (planned.request.stream) return streamToClient(planned, request, reply);
    return complete(planned, request, reply);
  });
}
