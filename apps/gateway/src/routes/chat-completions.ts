import { estimateMaxCharge, type TokenUsage } from "@modelfaucet/core";
import {
  countChatPromptTokens,
  encodeSseData,
  SSE_DONE,
  type ChatProvider,
  type ChatStream,
} from "@modelfaucet/providers";
import { bearerToken, recordRequest, type SessionAuthenticator, type SessionContext } from "@modelfaucet/server-kit";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Billing, Hold, UsageRecord } from "../billing/billing.js";
import type { FeatureCatalog } from "../catalog/feature-catalog.js";
import type { ModelCatalog } from "../catalog/model-catalog.js";
import { chatRequestSchema, requestedFeatureKey, type ChatRequest } from "../chat/chat-request.js";
import { modelfaucetBlock, openAiUsage } from "../chat/modelfaucet-block.js";
import { planRoute, type RoutePlan } from "../chat/plan-route.js";
import { providerFailure } from "../chat/provider-failure.js";
import { upstreamBody } from "../chat/upstream-body.js";
import { upstreamSignal } from "../chat/upstream-signal.js";
import { buildUsageRecord } from "../chat/usage-record.js";
import { openEventStream } from "../chat/open-event-stream.js";

export interface ChatRouteOptions {
  sessions: SessionAuthenticator;
  features: FeatureCatalog;
  catalog: ModelCatalog;
  providers: Map<string, ChatProvider>;
  billing: Billing;
  upstreamTimeoutMs: number;
}

interface Prepared {
  session: SessionContext;
  request: ChatRequest;
  featureKey: string;
  plan: RoutePlan;
  provider: ChatProvider;
  hold: Hold;
}

/**
 * `POST /v1/chat/completions`: authenticate, plan, hold the most this call
 * can cost (402 before any upstream call), call upstream with no transaction
 * open, settle what was used in one transaction.
 */
export async function chatCompletionsRoute(app: FastifyInstance, options: ChatRouteOptions) {
  const { sessions, features, catalog, providers, billing } = options;
  const reachable = new Set(providers.keys());

  async function prepare(request: FastifyRequest): Promise<Prepared> {
    const session = await sessions.authenticate(bearerToken(request));
    const body = chatRequestSchema.parse(request.body);
    const feature = await features.resolve(session.appId, requestedFeatureKey(body), session.featureKey);
    const plan = await planRoute(body, feature, catalog, reachable);
    const maxCharge = estimateMaxCharge({
      promptTokens: countChatPromptTokens(body.messages, body.tools),
      maxOutputTokens: plan.maxOutputTokens,
      price: plan.model,
      pricing: plan.pricing,
      routeMode: plan.routeMode,
    });
    const hold = await billing.hold(session, maxCharge, request.id);
    return {
      session,
      request: body,
      featureKey: feature.featureKey,
      plan,
      provider: providers.get(plan.model.provider)!,
      hold,
    };
  }

  function record(
    prepared: Prepared,
    requestId: string,
    usage: TokenUsage,
    usageSource: UsageRecord["usageSource"],
    outcome: UsageRecord["outcome"],
  ): UsageRecord {
    const call = { ...prepared, stream: prepared.request.stream === true, providerId: prepared.provider.id };
    return buildUsageRecord(call, requestId, usage, usageSource, outcome);
  }

  async function complete(prepared: Prepared, request: FastifyRequest, reply: FastifyReply) {
    let result;
    try {
      result = await prepared.provider.chat(upstreamBody(prepared.request, prepared.plan), {
        signal: upstreamSignal(reply, options.upstreamTimeoutMs),
        requestId: request.id,
      });
    } catch (error) {
      await billing.release(prepared.hold);
      throw providerFailure(error);
    }
    const usageRecord = record(prepared, request.id, result.usage, result.usageSource, "completed");
    await billing.settle(prepared.hold, usageRecord);
    return {
      ...result.body,
      usage: result.body.usage ?? openAiUsage(result.usage),
      modelfaucet: modelfaucetBlock(request.id, prepared.featureKey, prepared.plan, usageRecord.charge.retail),
    };
  }

  async function streamToClient(prepared: Prepared, request: FastifyRequest, reply: FastifyReply) {
    let stream: ChatStream;
    try {
      stream = await prepared.provider.chatStream(upstreamBody(prepared.request, prepared.plan), {
        signal: upstreamSignal(reply, options.upstreamTimeoutMs),
        requestId: request.id,
      });
    } catch (error) {
      await billing.release(prepared.hold);
      throw providerFailure(error);
    }
    // From here the response is ours to write: Fastify's hooks no longer run.
    const raw = openEventStream(request, reply);
    let clientGone = false;
    raw.once("close", () => {
      if (!raw.writableFinished) {
        clientGone = true;
        stream.cancel();
      }
    });
    let failure: unknown;
    let lastChunk: Record<string, unknown> | undefined;
    try {
      for await (const chunk of stream) {
        if (clientGone) break;
        lastChunk = chunk;
        raw.write(encodeSseData(JSON.stringify(chunk)));
      }
    } catch (error) {
      failure = error;
    }
    const outcome = clientGone ? "client_aborted" : failure ? "upstream_failed" : "completed";
    const usageRecord = record(prepared, request.id, stream.usage, stream.usageSource, outcome);
    try {
      await billing.settle(prepared.hold, usageRecord);
    } catch (error) {
      // The hold stays and expires: the user is not charged; the failure alerts through logs and metrics.
      request.log.error({ err: error }, "settling a streamed request failed; its hold will expire");
    }
    if (!clientGone) {
      if (failure) {
        const { code, message } = providerFailure(failure);
        raw.write(encodeSseData(JSON.stringify({ error: { code, message, request_id: request.id } })));
      } else {
        if (prepared.request.stream_options?.include_usage) {
          raw.write(
            encodeSseData(
              JSON.stringify({
                id: lastChunk?.id,
                object: "chat.completion.chunk",
                created: lastChunk?.created,
                model: lastChunk?.model,
                choices: [],
                usage: openAiUsage(usageRecord.usage),
                modelfaucet: modelfaucetBlock(
                  request.id,
                  prepared.featureKey,
                  prepared.plan,
                  usageRecord.charge.retail,
                ),
              }),
            ),
          );
        }
        raw.write(SSE_DONE);
      }
      raw.end();
    }
    recordRequest(app.metrics, request, 200, reply.elapsedTime);
  }

  app.post("/v1/chat/completions", async (request, reply) => {
    const prepared = await prepare(request);
    if (prepared.request.stream) return streamToClient(prepared, request, reply);
    return complete(prepared, request, reply);
  });
}
