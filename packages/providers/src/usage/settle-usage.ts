import type { NormalizedUsage, UsageSource } from "../spec/normalized-usage.js";

export interface SettledUsage {
  readonly usage: NormalizedUsage;
  readonly source: UsageSource;
}

export interface UsageEvidence {
  /** What the upstream reported, already validated; undefined when it sent none. */
  readonly reported: NormalizedUsage | undefined;
  /** Whether any generated text was produced (delivered, for a stream). */
  readonly producedText: boolean;
  /** Local prompt count; called only when an estimate is needed. */
  readonly estimateInputTokens: () => number;
  /** Local count of the generated text; called only when an estimate is needed. */
  readonly estimateOutputTokens: () => number;
}

/**
 * Chooses the usage to bill. The upstream's figure is trusted unless it is
 * missing or implausible: zero prompt tokens (every chat prompt has some)
 * or zero output tokens while text was produced. Then the whole figure is
 * estimated locally, so usage is never recorded as zero when text was
 * produced. A local estimate has no cached tokens (we cannot know them).
 */
export function settleUsage(evidence: UsageEvidence): SettledUsage {
  const reported = evidence.reported;
  if (reported !== undefined && reported.inputTokens > 0 && (reported.outputTokens > 0 || !evidence.producedText)) {
    return { usage: reported, source: "upstream" };
  }
  return {
    usage: {
      inputTokens: evidence.estimateInputTokens(),
      cachedInputTokens: 0,
      outputTokens: evidence.estimateOutputTokens(),
    },
    source: "estimated",
  };
}
