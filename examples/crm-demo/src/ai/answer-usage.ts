import type { ChatMessage } from "@modelfaucet/react";
import type { ChatCompletion, EmbeddingsResponse } from "@modelfaucet/sdk";

/**
 * UsageFooter shows an assistant message's route, tokens and cost. Answers
 * that are not chat turns (a summary, extracted fields, a search) carry the
 * same facts in their `usage` and `modelfaucet` block: these put them in
 * that shape.
 */
export function usageOfCompletion(completion: ChatCompletion): ChatMessage {
  const [choice] = completion.choices;
  return {
    id: completion.modelfaucet.request_id,
    role: "assistant",
    content: typeof choice?.message.content === "string" ? choice.message.content : "",
    request_id: completion.modelfaucet.request_id,
    usage: completion.usage,
    price_usd: completion.modelfaucet.price_usd,
    route_mode: completion.modelfaucet.route_mode,
    finish_reason: choice?.finish_reason ?? null,
  };
}

/** Embeddings have input tokens only. */
export function usageOfEmbeddings(response: EmbeddingsResponse): ChatMessage {
  return {
    id: response.modelfaucet.request_id,
    role: "assistant",
    content: "",
    request_id: response.modelfaucet.request_id,
    usage: { ...response.usage, completion_tokens: 0 },
    price_usd: response.modelfaucet.price_usd,
    route_mode: response.modelfaucet.route_mode,
    finish_reason: "stop",
  };
}
