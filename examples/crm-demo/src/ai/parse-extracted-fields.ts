import { EXTRACTED_FIELDS } from "./prompts.js";

export type FieldKey = keyof typeof EXTRACTED_FIELDS;

/** The fields read from a model's answer, each as display text (null: not given). */
export type ExtractedFields = Record<FieldKey, string | null>;

const asText = (value: unknown): string | null => {
  if (value === null || value === undefined || value === "") return null;
  if (Array.isArray(value)) return value.length === 0 ? null : value.map(String).join(", ");
  return typeof value === "object" ? JSON.stringify(value) : String(value);
};

/**
 * The JSON object the model was asked for, or null when its answer is not
 * one. Models often wrap JSON in a Markdown fence: that is accepted; any
 * other text is not guessed at.
 */
export function parseExtractedFields(answer: string): ExtractedFields | null {
  const unfenced = answer
    .trim()
    .replace(/^```(?:json)?\s*/i, "")
    .replace(/\s*```$/, "");
  let parsed: unknown;
  try {
    parsed = JSON.parse(unfenced);
  } catch {
    return null;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return null;
  const record = parsed as Record<string, unknown>;
  const keys = Object.keys(EXTRACTED_FIELDS) as FieldKey[];
  return Object.fromEntries(keys.map((key) => [key, asText(record[key])])) as ExtractedFields;
}
