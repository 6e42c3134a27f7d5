import type { NormalizedUsage } from "../spec/normalized-usage.js";
import { isRecord } from "./is-record.js";

/**
 * Gemini's `usageMetadata` → NormalizedUsage:
 * input = `promptTokenCount` (it includes the cached part),
 * cached = `cachedContentTokenCount` (0 when absent),
 * output = `candidatesTokenCount` + `thoughtsTokenCount` (thinking is billed
 * as output; either may be absent, e.g. on a blocked prompt, and counts 0).
 * Undefined when absent or malformed (prompt count missing, a count negative
 * or fractional, more cached than prompt tokens): the caller then estimates.
 * https://ai.google.dev/api/generate-content#UsageMetadata
 */
export function mapGeminiUsage(raw: unknown): NormalizedUsage | undefined {
  if (!isRecord(raw)) return undefined;
  const input = raw.promptTokenCount;
  const cached = optionalCount(raw.cachedContentTokenCount);
  const candidates = optionalCount(raw.candidatesTokenCount);
  const thoughts = optionalCount(raw.thoughtsTokenCount);
  if (!isCount(input) || cached === undefined || candidates === undefined || thoughts === undefined) return undefined;
  if (cached > input) return undefined;
  const output = candidates + thoughts;
  if (!Number.isSafeInteger(output)) return undefined;
  return { inputTokens: input, cachedInputTokens: cached, outputTokens: output };
}

/** A count, 0 when absent, undefined when malformed. */
function optionalCount(value: unknown): number | undefined {
  if (value === undefined || value === null) return 0;
  return isCount(value) ? value : undefined;
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}
