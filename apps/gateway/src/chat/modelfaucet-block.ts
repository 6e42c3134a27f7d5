import type { Settled } from "@modelfaucet/billing";
import type { ModelfaucetBlock } from "@modelfaucet/contract";
import { formatUsd } from "@modelfaucet/core";
import type { RoutePlan } from "./plan-route.js";

/**
 * The `modelfaucet` block every answer carries (CONTRACT.md): what the
 * request cost and `available_usd`, the wallet's available balance right
 * after the settlement. `settled` is undefined only when settling a stream
 * failed (its hold then expires and nothing is charged): `available_usd` is
 * null then. `model_choice` says why the model, when the feature's policy
 * chose it (plan.choice).
 */
export function modelfaucetBlock(
  requestId: string,
  featureKey: string,
  plan: RoutePlan,
  retailUnits: bigint,
  settled: Settled | undefined,
): ModelfaucetBlock {
  return {
    request_id: requestId,
    route_mode: plan.routeMode,
    feature_key: featureKey,
    provider: plan.model.provider,
    model: plan.model.id,
    price_usd: formatUsd(retailUnits),
    available_usd: settled === undefined ? null : formatUsd(settled.availableUnits),
    ...(plan.choice ? { model_choice: plan.choice } : {}),
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
