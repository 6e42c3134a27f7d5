import type { NormalizedUsage } from "../spec/normalized-usage.js";

/**
 * OpenAI's `usage` object → NormalizedUsage. Undefined when absent or
 * malformed (counts missing, negative, fractional, or more cached than
 * prompt tokens): the caller then estimates instead of trusting it.
 * https://platform.openai.com/docs/api-reference/chat/object#chat/object-usage
 */
export function mapOpenAIUsage(raw: unknown): NormalizedUsage | undefined {
  if (!isObject(raw)) return undefined;
  const input = raw.prompt_tokens;
  const output = raw.completion_tokens;
  if (!isCount(input) || !isCount(output)) return undefined;
  const details = raw.prompt_tokens_details;
  const cachedValue = isObject(details) ? details.cached_tokens : undefined;
  const cached = isCount(cachedValue) ? cachedValue : 0;
  if (cached > input) return undefined;
  return { inputTokens: input, cachedInputTokens: cached, outputTokens: output };
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
