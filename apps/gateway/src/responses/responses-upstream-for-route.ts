import type { ChatRequest, ResponsesRequestBody } from "@modelfaucet/contract";
import type { ModelPlan } from "../chat/plan-route.js";
import type { RouteAdapters } from "../routing/credential-providers.js";
import { convertResponsesToChat } from "./convert-responses-to-chat.js";
import { nativeUpstream } from "./native-responses.js";
import type { ResponsesUpstream } from "./responses-upstream.js";
import { translatedUpstream } from "./translated-responses.js";

/**
 * How each route serves one Responses request: natively where its upstream
 * speaks the Responses API (OpenAI), translated over chat elsewhere — every
 * route can serve it. The translation is made once, when the first
 * translated route is reached; a request chat cannot carry throws
 * `invalid_request` there, before that route's hold. Every route holds for
 * `promptTokens`, counted once for the request (responsesPromptTexts).
 */
export function responsesUpstreamForRoute(
  body: ResponsesRequestBody,
  plan: ModelPlan,
  promptTokens: number,
): (adapters: RouteAdapters) => ResponsesUpstream {
  let chat: ChatRequest | undefined;
  return (adapters) => {
    if (adapters.responses) return nativeUpstream(adapters.responses, body, plan, promptTokens);
    chat ??= convertResponsesToChat(body);
    return translatedUpstream(adapters.chat, chat, plan, promptTokens);
  };
}
