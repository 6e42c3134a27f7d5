import type { ChatRequest } from "@modelfaucet/contract";
import type { RoutePlan } from "./plan-route.js";

/**
 * The body sent upstream: the client's request as sent, with the catalog id
 * mapped to the provider's model name, the output limit the hold was sized
 * for made explicit, usage always requested on streams, and our own
 * `metadata.feature_key` removed (the provider has no use for it).
 */
export function upstreamBody(request: ChatRequest, plan: Pick<RoutePlan, "model" | "maxOutputTokens">): ChatRequest {
  const body: ChatRequest = { ...request, model: plan.model.upstreamModel };
  if (request.max_completion_tokens == null && request.max_tokens == null) {
    body.max_tokens = plan.maxOutputTokens;
  }
  if (request.stream) body.stream_options = { ...request.stream_options, include_usage: true };
  if (request.metadata && "feature_key" in request.metadata) {
    const { feature_key: _ours, ...rest } = request.metadata;
    if (Object.keys(rest).length > 0) body.metadata = rest;
    else delete body.metadata;
  }
  return body;
}
