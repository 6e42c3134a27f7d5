import { countChatPromptTokens, countTextTokens } from "@modelfaucet/providers";
import type { ChatRequest } from "../chat/chat-request.js";
import type { ModelPlan } from "../chat/plan-route.js";
import type { RouteAdapters } from "../routing/credential-providers.js";
import { convertResponsesToChat } from "./convert-responses-to-chat.js";
import { nativeUpstream } from "./native-responses.js";
import type { ResponsesRequestBody } from "./responses-request.js";
import type { ResponsesUpstream } from "./responses-upstream.js";
import { translatedUpstream } from "./translated-responses.js";

/**
 * How each route serves one Responses request: natively where its upstream
 * speaks the Responses API (OpenAI), translated over chat elsewhere — every
 * route can serve it. The translation is made once, when the first
 * translated route is reached; a request chat cannot carry throws
 * `invalid_request` there, before that route's hold.
 */
export function responsesUpstreamForRoute(
  body: ResponsesRequestBody,
  plan: ModelPlan,
): (adapters: RouteAdapters) => ResponsesUpstream {
  let chat: ChatRequest | undefined;
  let nativeTokens: number | undefined;
  return (adapters) => {
    if (adapters.responses) {
      nativeTokens ??= nativePromptTokens(body);
      return nativeUpstream(adapters.responses, body, plan, nativeTokens);
    }
    chat ??= convertResponsesToChat(body);
    return translatedUpstream(adapters.chat, chat, plan);
  };
}

/**
 * The hold's prompt estimate on the native path, where input items may be
 * of any type: message items as chat would count them, else the JSON text of
 * the whole input, plus instructions and tool definitions.
 */
function nativePromptTokens(body: ResponsesRequestBody): number {
  let tokens: number;
  try {
    tokens = countChatPromptTokens(convertResponsesToChat({ ...body, tools: undefined }).messages);
  } catch {
    tokens = countTextTokens(typeof body.input === "string" ? body.input : JSON.stringify(body.input));
    tokens += countTextTokens(body.instructions ?? "");
  }
  return body.tools === undefined ? tokens : tokens + countTextTokens(JSON.stringify(body.tools));
}
