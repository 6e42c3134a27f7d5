import {
  compileCustomPattern,
  CustomPatternError,
  CUSTOM_PATTERN_LIMITS,
  type CompiledPattern,
  type CustomPattern,
} from "./custom-pattern.js";
import { detectCardNumbers } from "./detect-card-numbers.js";
import { detectEmails } from "./detect-emails.js";
import { detectIbans } from "./detect-ibans.js";
import { detectIpAddresses } from "./detect-ip-addresses.js";
import { detectPhoneNumbers } from "./detect-phone-numbers.js";
import { BUILT_IN_PII_LABELS, type PiiDetector } from "./pii-span.js";

/**
 * What a feature redacts: the built-in detectors, in the order that breaks a
 * tie between two finds of the same text (an address `192.168.100.200` is an
 * IP before it is a phone number), then the developer's patterns.
 */
export interface RedactionPolicy {
  detectors: readonly PiiDetector[];
  /** Every label a placeholder of this policy can carry. */
  labels: readonly string[];
}

const BUILT_IN_DETECTORS: readonly PiiDetector[] = [
  detectEmails,
  detectIbans,
  detectCardNumbers,
  detectIpAddresses,
  detectPhoneNumbers,
];

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
  return {
    detectors: [...BUILT_IN_DETECTORS, ...compiled.map((pattern) => pattern.find)],
    labels: [...names],
  };
}
