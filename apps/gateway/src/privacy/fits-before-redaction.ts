import { boundPromptTokens, type PromptTexts } from "@modelfaucet/providers";
import { assertFitsContextWindow, type ModelPlan } from "../chat/plan-route.js";

/**
 * Prompts longer than this (characters) are checked against the model's
 * context window before they are redacted, as well as after: counting is
 * sliced and budgeted, redaction must read everything, and a body of
 * megabytes that no model can take should cost neither. Shorter prompts are
 * counted once, redacted.
 */
const LARGE_PROMPT_CHARACTERS = 256 * 1024;

/** Refuses (400 `context_length_exceeded`) a large prompt that, as written, cannot fit the model. */
export async function assertLargePromptFits(plan: ModelPlan, prompt: PromptTexts): Promise<void> {
  let characters = 0;
  for (const text of prompt.texts) characters += text.length;
  if (characters <= LARGE_PROMPT_CHARACTERS) return;
  assertFitsContextWindow(plan, await boundPromptTokens(prompt));
}
