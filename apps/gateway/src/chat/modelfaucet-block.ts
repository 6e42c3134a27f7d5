import { formatUsd } from "@modelfaucet/core";
import type { RoutePlan } from "./plan-route.js";

/** The `modelfaucet` block every completion carries (CONTRACT.md). */
export function modelfaucetBlock(requestId: string, featureKey: string, plan: RoutePlan, retailUnits: bigint) {
  return {
    request_id: requestId,
    route_mode: plan.routeMode,
    feature_key: featureKey,
    provider: plan.model.provider,
    model: plan.model.id,
    price_usd: formatUsd(retailUnits),
  };
}

/** Normalized usage in OpenAI's wire shape. */
export function openAiUsage(usage: { inputTokens: number; cachedInputTokens: number; outputTokens: number }) {
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedInputTokens },
  };
}
