/** An OpenAI `finish_reason`. */
export type OpenAIFinishReason = "stop" | "length" | "tool_calls" | "content_filter";

/** Gemini finish reasons meaning the output was withheld or cut by a filter. */
const FILTERED = new Set([
  "SAFETY",
  "RECITATION",
  "BLOCKLIST",
  "PROHIBITED_CONTENT",
  "SPII",
  "IMAGE_SAFETY",
  "IMAGE_PROHIBITED_CONTENT",
  "IMAGE_RECITATION",
  "LANGUAGE",
]);

/**
 * A candidate's `finishReason` → OpenAI's: STOP → `stop` (`tool_calls` when
 * the candidate called a function), MAX_TOKENS → `length`, the filter
 * reasons → `content_filter`. The rest (OTHER, MALFORMED_FUNCTION_CALL,
 * UNEXPECTED_TOOL_CALL, new values) have no OpenAI equivalent and map to
 * `stop`, as the Gemini OpenAI-compatible endpoint does.
 * https://ai.google.dev/api/generate-content#FinishReason
 */
export function mapGeminiFinishReason(reason: string, calledFunction: boolean): OpenAIFinishReason {
  if (reason === "MAX_TOKENS") return "length";
  if (FILTERED.has(reason)) return "content_filter";
  return calledFunction ? "tool_calls" : "stop";
}
