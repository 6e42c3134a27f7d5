import type { Hold, UsageRecord } from "@modelfaucet/billing";
import { capChargeAtHold, rateUsage, type TokenUsage } from "@modelfaucet/core";
import type { SessionContext } from "@modelfaucet/server-kit";
import type { FastifyReply } from "fastify";
import type { AttemptRecord } from "../reliability/run-on-routes.js";
import type { RoutePlan } from "./plan-route.js";

/** What is known of a billed request once upstream has answered (chat, responses, embeddings alike). */
export interface BilledCall {
  session: SessionContext;
  featureKey: string;
  plan: RoutePlan;
  hold: Hold;
  stream: boolean;
  /** The adapter that served the call (its `id`). */
  providerId: string;
  /** Every upstream attempt (sanitized), whichever route finally served. */
  attempts: AttemptRecord[];
  /** How many personal items were replaced by placeholders before the upstream call (never the items). */
  redactedItems: number;
}

/**
 * The usage event of one request: `usage` rated at the plan's price and the
 * feature's pricing, capped at what was held (a user never pays more than
 * the hold, whatever upstream reports). Built when the request is settled:
 * its latency is the reply's time so far.
 */
export function buildUsageRecord(
  call: BilledCall,
  reply: FastifyReply,
  usage: TokenUsage,
  usageSource: UsageRecord["usageSource"],
  outcome: UsageRecord["outcome"],
): UsageRecord {
  const { plan } = call;
  const charge = capChargeAtHold(
    rateUsage({ usage, price: plan.model, pricing: plan.pricing, routeMode: plan.routeMode }),
    call.hold.heldUnits,
  );
  return {
    requestId: reply.request.id,
    session: call.session,
    featureKey: call.featureKey,
    routeMode: plan.routeMode,
    provider: plan.model.provider,
    model: plan.model.id,
    stream: call.stream,
    outcome,
    usageSource,
    usage,
    charge,
    attempts: call.attempts,
    latencyMs: reply.elapsedTime,
    redactedItems: call.redactedItems,
  };
}
