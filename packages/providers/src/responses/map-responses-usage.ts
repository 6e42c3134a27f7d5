import type { NormalizedUsage } from "../spec/normalized-usage.js";
import { mapTokenUsage } from "../usage/map-token-usage.js";

const RESPONSES_USAGE = { input: "input_tokens", output: "output_tokens", inputDetails: "input_tokens_details" };

/**
 * The Responses API `usage` object → NormalizedUsage, or undefined when absent or malformed.
 * https://platform.openai.com/docs/api-reference/responses/object#responses/object-usage
 */
export function mapResponsesUsage(raw: unknown): NormalizedUsage | undefined {
  return mapTokenUsage(raw, RESPONSES_USAGE);
}
