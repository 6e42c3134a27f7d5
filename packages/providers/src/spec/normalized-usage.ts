/**
 * Token usage of one upstream call, in the same units for every provider.
 * All counts are whole tokens (non-negative safe integers).
 *
 * Invariant: `cachedInputTokens <= inputTokens`. `inputTokens` INCLUDES the
 * cached ones (OpenAI's `prompt_tokens` semantics), so the uncached part is
 * `inputTokens - cachedInputTokens`. `outputTokens` includes reasoning tokens.
 */
export interface NormalizedUsage {
  /** Prompt tokens read by the model, cached ones included. */
  readonly inputTokens: number;
  /** Of `inputTokens`, how many were served from the provider's prompt cache. */
  readonly cachedInputTokens: number;
  /** Tokens generated (content, tool calls, reasoning). */
  readonly outputTokens: number;
}

/**
 * Where a usage figure came from:
 * - `upstream`: the provider reported it and it was well-formed;
 * - `estimated`: the provider sent none (omitted, stream cut, consumer stopped
 *   early) or an implausible one (zero output while text was produced), so it
 *   was counted locally from the prompt and the output actually delivered.
 */
export type UsageSource = "upstream" | "estimated";
