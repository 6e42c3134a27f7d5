import { randomBytes } from "node:crypto";
import type { Billing, UsageRecord } from "@modelfaucet/billing";
import type { ChatRequest } from "@modelfaucet/contract";
import { rateCacheHit } from "@modelfaucet/core";
import { encodeSseData, SSE_DONE } from "@modelfaucet/providers";
import { recordRequest, type SessionContext } from "@modelfaucet/server-kit";
import type { FastifyReply, FastifyRequest } from "fastify";
import { modelfaucetBlock, openAiUsage } from "../chat/modelfaucet-block.js";
import { openEventStream } from "../chat/open-event-stream.js";
import type { ModelPlan } from "../chat/plan-route.js";
import { spendOf } from "../limits/spend-budgets.js";
import { withCost } from "../chat/usage-cost.js";
import type { CacheHit } from "./response-cache.js";
import { chunksFromAnswer, completionFromAnswer } from "./replay-answer.js";

/** No upstream call: a hit records (and reports in `usage`) zero tokens. */
const NO_TOKENS = { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0 };

export interface ServeCachedAnswerInput {
  request: FastifyRequest;
  reply: FastifyReply;
  billing: Billing;
  /** The request as planned: who pays, under which feature, on which model; its body says how to deliver. */
  planned: { session: SessionContext; featureKey: string; model: ModelPlan; request: ChatRequest };
  hit: CacheHit;
}

/**
 * Answers a request from the cache. Billed like any request, at the
 * feature's cache price: a hold of that price (402 `insufficient_balance`
 * before anything is sent when the wallet cannot cover it, `budget_exceeded`
 * when a spending budget cannot; no hold when it is 0), settled at once with its usage event — `cached`, zero tokens, the
 * route and model of the answer, cost 0 (rateCacheHit). The answer is the
 * cached one with a fresh id and `created`, `usage.cost` the cache price and
 * `modelfaucet.cached: true`; as a stream (`stream: true`, whichever way it
 * was first answered) it is replayed in chunks (replay-answer.ts), the block
 * on the finish chunk and on the usage chunk, then `[DONE]`.
 */
export async function serveCachedAnswer(input: ServeCachedAnswerInput): Promise<object | undefined> {
  const { request, reply, billing } = input;
  const { session, featureKey, model } = input.planned;
  const { answer } = input.hit;
  const stream = input.planned.request.stream === true;
  const retailPrice = input.hit.lookup.policy.priceUnits;
  // The price counts against the request's spending budgets like any charge; a hit uses no tokens.
  const spend = spendOf(featureKey, { promptTokens: 0, maxOutputTokens: 0 });
  const hold = await billing.hold(session, retailPrice, request.id, undefined, spend);
  const record: UsageRecord = {
    requestId: request.id,
    session,
    featureKey,
    routeMode: answer.route_mode,
    provider: model.model.provider,
    model: model.model.id,
    stream,
    outcome: "completed",
    usageSource: "upstream",
    usage: NO_TOKENS,
    charge: rateCacheHit(retailPrice, model.pricing.channelShareBps),
    attempts: [],
    latencyMs: reply.elapsedTime,
    redactedItems: 0,
    cached: true,
  };
  // As for any request: should settling fail, the hold stays and expires (the user is not charged).
  const settled = await billing.settle(hold, record);
  const plan = { ...model, routeMode: answer.route_mode };
  const modelfaucet = { ...modelfaucetBlock(request.id, featureKey, plan, retailPrice, settled), cached: true };
  const usage = withCost(openAiUsage(NO_TOKENS), retailPrice);
  const identity = { id: `chatcmpl-${randomBytes(12).toString("hex")}`, created: Math.floor(Date.now() / 1000) };
  if (!stream) return { ...completionFromAnswer(answer, identity), usage, modelfaucet };

  const client = openEventStream(request, reply, () => {});
  const write = (payload: object) => client.raw.write(encodeSseData(JSON.stringify(payload)));
  const { chunks, finish } = chunksFromAnswer(answer, identity);
  for (const chunk of chunks) write(chunk);
  write({ ...finish, modelfaucet });
  if (input.planned.request.stream_options?.include_usage === true)
    write({ ...finish, choices: [], usage, modelfaucet });
  client.raw.end(SSE_DONE);
  // A hijacked reply skips Fastify's hooks: its metrics are recorded here, as for a relayed stream.
  recordRequest(request.server.metrics, request, 200, reply.elapsedTime);
  return undefined;
}
