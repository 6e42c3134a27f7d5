/** The kinds the Gateway finds on its own; a developer's patterns add their own names. */
export const BUILT_IN_PII_LABELS = ["EMAIL", "PHONE", "CARD", "IBAN", "IP"] as const;

export type BuiltInPiiLabel = (typeof BUILT_IN_PII_LABELS)[number];

/**
 * One personal item found in a text: `text.slice(start, end)`, and the label
 * its placeholder carries (`EMAIL` → `[EMAIL_1]`).
 */
export interface PiiSpan {
  start: number;
  end: number;
  label: string;
}
