import type { NormalizedUsage } from "../spec/normalized-usage.js";

/**
 * The Responses API `usage` object → NormalizedUsage. Undefined when absent
 * or malformed, so the caller estimates instead of trusting it.
 * https://platform.openai.com/docs/api-reference/responses/object#responses/object-usage
 */
export function mapResponsesUsage(raw: unknown): NormalizedUsage | undefined {
  if (!isObject(raw)) return undefined;
  const input = raw.input_tokens;
  const output = raw.output_tokens;
  if (!isCount(input) || !isCount(output)) return undefined;
  const details = raw.input_tokens_details;
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
