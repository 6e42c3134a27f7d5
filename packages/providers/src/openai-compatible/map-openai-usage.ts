import type { NormalizedUsage } from "../spec/normalized-usage.js";
import { mapTokenUsage } from "../usage/map-token-usage.js";

const CHAT_USAGE = { input: "prompt_tokens", output: "completion_tokens", inputDetails: "prompt_tokens_details" };

/**
 * OpenAI's chat `usage` object → NormalizedUsage, or undefined when absent or malformed.
 * https://platform.openai.com/docs/api-reference/chat/object#chat/object-usage
 */
export function mapOpenAIUsage(raw: unknown): NormalizedUsage | undefined {
  return mapTokenUsage(raw, CHAT_USAGE);
}
