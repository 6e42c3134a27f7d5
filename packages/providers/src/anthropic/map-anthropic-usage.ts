import type { NormalizedUsage } from "../spec/normalized-usage.js";

/**
 * Anthropic's `usage` → NormalizedUsage. Anthropic's `input_tokens` counts
 * only the uncached prompt, so the cache reads and writes are added back:
 * `inputTokens = input_tokens + cache_read_input_tokens +
 * cache_creation_input_tokens`, `cachedInputTokens = cache_read_input_tokens`.
 * (Cache writes are billed above the base rate by Anthropic; that premium is
 * not represented here.) Undefined when absent or malformed (counts missing,
 * negative or fractional): the caller then estimates.
 * https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching#tracking-cache-performance
 */
export function mapAnthropicUsage(raw: unknown): NormalizedUsage | undefined {
  if (!isObject(raw)) return undefined;
  const input = raw.input_tokens;
  const output = raw.output_tokens;
  if (!isCount(input) || !isCount(output)) return undefined;
  const cacheRead = optionalCount(raw.cache_read_input_tokens);
  const cacheWrite = optionalCount(raw.cache_creation_input_tokens);
  if (cacheRead === undefined || cacheWrite === undefined) return undefined;
  const total = input + cacheRead + cacheWrite;
  if (!Number.isSafeInteger(total)) return undefined;
  return { inputTokens: total, cachedInputTokens: cacheRead, outputTokens: output };
}

/** NormalizedUsage → the OpenAI `usage` object of a completion built from an Anthropic answer. */
export function toOpenAIUsage(usage: NormalizedUsage): Record<string, unknown> {
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedInputTokens },
  };
}

/** A count that may be absent or null (older API versions, no caching): 0; undefined when malformed. */
function optionalCount(value: unknown): number | undefined {
  if (value === undefined || value === null) return 0;
  return isCount(value) ? value : undefined;
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
