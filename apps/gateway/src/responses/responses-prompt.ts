import type { ResponsesRequestBody } from "@modelfaucet/contract";
import { chatPromptTexts, type PromptTexts } from "@modelfaucet/providers";
import { convertResponsesToChat } from "./convert-responses-to-chat.js";

/**
 * The prompt of a Responses request, for its hold and the context window
 * check, whichever route serves it: message items as chat would count them
 * (instructions included), else — items only OpenAI routes take — the JSON
 * text of the whole input plus the instructions; plus the tool definitions'
 * JSON text (a translated route refuses tools, so this never undercounts it).
 */
export function responsesPromptTexts(body: ResponsesRequestBody): PromptTexts {
  let prompt: PromptTexts;
  try {
    prompt = chatPromptTexts(convertResponsesToChat({ ...body, tools: undefined }).messages);
  } catch {
    const input = typeof body.input === "string" ? body.input : JSON.stringify(body.input);
    prompt = { texts: [input, body.instructions ?? ""], fixedTokens: 0 };
  }
  if (body.tools !== undefined) prompt.texts.push(JSON.stringify(body.tools));
  return prompt;
}
