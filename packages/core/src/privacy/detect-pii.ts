import type { PiiSpan } from "./pii-span.js";
import type { RedactionPolicy } from "./redaction-policy.js";

/**
 * Every personal item of `text` the policy finds, without overlaps, in text
 * order: where finds overlap, the one starting first wins, then the longer,
 * then the one whose detector comes first in the policy.
 */
export function detectPii(text: string, policy: RedactionPolicy): PiiSpan[] {
  const found: Array<PiiSpan & { rank: number }> = [];
  policy.detectors.forEach((detect, rank) => {
    for (const span of detect(text)) found.push({ ...span, rank });
  });
  found.sort((a, b) => a.start - b.start || b.end - b.start - (a.end - a.start) || a.rank - b.rank);
  const kept: PiiSpan[] = [];
  let reached = 0;
  for (const { start, end, label } of found) {
    if (start < reached) continue;
    kept.push({ start, end, label });
    reached = end;
  }
  return kept;
}
