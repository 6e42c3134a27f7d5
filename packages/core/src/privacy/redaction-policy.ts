import {
  compileCustomPattern,
  CustomPatternError,
  CUSTOM_PATTERN_LIMITS,
  type CompiledPattern,
  type CustomPattern,
} from "./custom-pattern.js";
import { BUILT_IN_PII_LABELS } from "./pii-span.js";

/**
 * What a feature redacts: the built-in detectors (always, see PiiScan), then
 * the developer's patterns, in the order that breaks a tie between two of
 * their finds of the same text.
 */
export interface RedactionPolicy {
  patterns: readonly CompiledPattern[];
  /** Every label a placeholder of this policy can carry. */
  labels: readonly string[];
}

/**
 * The policy for a feature's `policy.pii_patterns` (none: the built-ins
 * alone). Throws CustomPatternError naming the pattern at fault — the
 * manifest's validation reports it, so a stored manifest always compiles.
 */
export function compileRedactionPolicy(patterns: readonly CustomPattern[] = []): RedactionPolicy {
  const limits = CUSTOM_PATTERN_LIMITS;
  if (patterns.length > limits.maxPatterns) {
    throw new CustomPatternError(`at most ${limits.maxPatterns} patterns`);
  }
  const compiled: CompiledPattern[] = [];
  const names = new Set<string>(BUILT_IN_PII_LABELS);
  patterns.forEach((pattern, index) => {
    const where = `pattern ${index + 1} (${pattern.name})`;
    if (names.has(pattern.name)) {
      throw new CustomPatternError(`${where}: the name is taken (built-in names: ${BUILT_IN_PII_LABELS.join(", ")})`);
    }
    names.add(pattern.name);
    try {
      compiled.push(compileCustomPattern(pattern));
    } catch (error) {
      throw new CustomPatternError(`${where}: ${(error as Error).message}`);
    }
  });
  const total = compiled.reduce((sum, pattern) => sum + pattern.positions.length, 0);
  if (total > limits.maxTotalMatchLength) {
    throw new CustomPatternError(`the patterns may span at most ${limits.maxTotalMatchLength} characters together`);
  }
  return { patterns: compiled, labels: [...names] };
}
