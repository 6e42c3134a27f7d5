import type { NormalizedUsage } from "../spec/normalized-usage.js";

/** Where an OpenAI-style `usage` object keeps its counts (chat and Responses name them differently). */
export interface UsageFieldNames {
  input: string;
  output: string;
  /** The object holding `cached_tokens`. */
  inputDetails: string;
}

/**
 * An OpenAI-style `usage` object → NormalizedUsage. Undefined when absent or
 * malformed (counts missing, negative, fractional, or more cached than input
 * tokens): the caller then estimates instead of trusting it.
 */
export function mapTokenUsage(raw: unknown, names: UsageFieldNames): NormalizedUsage | undefined {
  if (!isObject(raw)) return undefined;
  const input = raw[names.input];
  const output = raw[names.output];
  if (!isCount(input) || !isCount(output)) return undefined;
  const details = raw[names.inputDetails];
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
