/**
 * Tokens a request consumed, as normalised from the provider's report.
 * All are non-negative safe integers. `cachedInputTokens` is the part of
 * `inputTokens` served from the provider's cache (so ≤ `inputTokens`); it is
 * priced at the cached rate and the rest of the input at the input rate.
 */
export interface TokenUsage {
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
}

/**
 * Usage is normalised by the provider adapters before rating, so a value out
 * of range here is a bug: thrown as an invariant violation (RangeError).
 */
export function assertTokenUsage(usage: TokenUsage): void {
  assertCount("inputTokens", usage.inputTokens);
  assertCount("cachedInputTokens", usage.cachedInputTokens);
  assertCount("outputTokens", usage.outputTokens);
  if (usage.cachedInputTokens > usage.inputTokens) {
    throw new RangeError(
      `cachedInputTokens (${usage.cachedInputTokens}) must not exceed inputTokens (${usage.inputTokens})`,
    );
  }
}

function assertCount(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  }
}
