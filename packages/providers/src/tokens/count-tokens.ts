import { countChunks } from "./o200k-chunks.js";
import { chatPromptTexts, type PromptTexts } from "./prompt-texts.js";

/**
 * Local token counts with the o200k_base encoding (GPT-4o, GPT-4.1, o-series).
 * For other model families they are an estimate. Used whenever an upstream
 * does not report usage, so that usage is never recorded as zero when text
 * was produced. Synchronous and linear in the text (see countChunks): exact
 * for ordinary text, an upper bound when a piece is pathologically long.
 * Holds are sized with boundPromptTokens instead, which never holds the
 * event loop for long whatever the size of the request.
 */

/** Tokens in `text`, special-token spellings counted as ordinary text. */
export function countTextTokens(text: string): number {
  let total = 0;
  for (const chunk of countChunks(text)) total += chunk.tokens;
  return total;
}

/** Tokens of a prompt split by chatPromptTexts (or another walker): its fixed tokens plus its texts'. */
export function countPromptTokens(prompt: PromptTexts): number {
  let total = prompt.fixedTokens;
  for (const text of prompt.texts) total += countTextTokens(text);
  return total;
}

/** Prompt tokens of a chat request (see chatPromptTexts for what is counted). */
export function countChatPromptTokens(messages: readonly unknown[], tools?: unknown): number {
  return countPromptTokens(chatPromptTexts(messages, tools));
}
