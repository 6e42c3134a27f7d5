import { chatPromptTexts, type PromptTexts } from "@modelfaucet/providers";
import { z } from "zod";
import { convertResponsesToChat } from "./convert-responses-to-chat.js";

const contentPart = z.looseObject({ type: z.string().min(1) });

/** One input item: a message (`type` "message" or omitted, as OpenAI's easy input) or any other item type. */
const inputItem = z.looseObject({
  type: z.string().min(1).optional(),
  role: z.string().min(1).optional(),
  content: z.union([z.string(), z.array(contentPart)]).optional(),
});

/**
 * The fields of a Responses API request the Gateway reads. On native
 * (OpenAI) routes everything else passes through; on translated routes the
 * fields chat cannot express are refused (see convert-responses-to-chat.ts).
 * https://platform.openai.com/docs/api-reference/responses/create
 */
export const responsesRequestSchema = z.looseObject({
  model: z.string().min(1).max(200),
  input: z.union([z.string(), z.array(inputItem).min(1).max(10_000)]),
  instructions: z.string().nullish(),
  max_output_tokens: z.number().int().positive().nullish(),
  stream: z.boolean().nullish(),
  temperature: z.number().nullish(),
  top_p: z.number().nullish(),
  user: z.string().max(256).nullish(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
});

export type ResponsesRequestBody = z.infer<typeof responsesRequestSchema>;

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
