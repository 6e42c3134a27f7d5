import { setImmediate as nextTurn } from "node:timers/promises";
import { countChunks, utf8Bytes } from "./o200k-chunks.js";
import type { PromptTexts } from "./prompt-texts.js";

export interface TokenBoundLimits {
  /** Longest the count runs before it lets the event loop take a turn, ms. */
  sliceMs: number;
  /**
   * Most time one request's count may spend tokenizing, ms, over all its
   * slices. Text not reached by then is counted as its UTF-8 bytes.
   */
  budgetMs: number;
}

/**
 * Half a second of tokenizing counts about 1 MB of English or code exactly
 * (2–7 million characters a second, warmer is faster), and 100,000–250,000
 * characters of Chinese or Japanese (the tokenizer's slowest ordinary text):
 * more than a 128,000-token context window holds. It caps what one request
 * can make the process spend before its balance is checked. Slices of 5 ms
 * keep every other request on the process moving meanwhile.
 */
export const DEFAULT_TOKEN_BOUND_LIMITS: Readonly<TokenBoundLimits> = Object.freeze({ sliceMs: 5, budgetMs: 500 });

/**
 * An upper bound of a prompt's o200k_base tokens, for a hold and the context
 * window check: never less than countPromptTokens, equal to it for ordinary
 * text that fits in the budget. See boundTextTokens. `prompt` may be given
 * as a function: it then runs on the count's own turn, where building it
 * (the JSON text of megabytes of tools, say) lengthens no other work.
 */
export async function boundPromptTokens(
  prompt: PromptTexts | (() => PromptTexts),
  limits: TokenBoundLimits = DEFAULT_TOKEN_BOUND_LIMITS,
  now: () => number = performance.now.bind(performance),
): Promise<number> {
  await nextTurn();
  const { texts, fixedTokens } = typeof prompt === "function" ? prompt() : prompt;
  let total = fixedTokens;
  for (const tokens of await countInSlices(texts, limits, now)) total += tokens;
  return total;
}

/**
 * An upper bound of each text's o200k_base tokens (countTextTokens, exact
 * for ordinary text). Linear in the texts' size, and the event loop is never
 * held longer than one slice plus one chunk (a few ms of tokenizing): the
 * count yields between slices. Once the budget is spent, the rest is bounded
 * by its UTF-8 bytes, which no byte-level BPE exceeds — so a huge or
 * slow-to-tokenize body costs at most `budgetMs` of CPU, and a hold sized
 * from it stays an upper bound.
 */
export async function boundTextTokens(
  texts: readonly string[],
  limits: TokenBoundLimits = DEFAULT_TOKEN_BOUND_LIMITS,
  now: () => number = performance.now.bind(performance),
): Promise<number[]> {
  await nextTurn();
  return countInSlices(texts, limits, now);
}

/**
 * The count itself, started on a turn of its own by its callers: reading,
 * parsing and checking the request ran in the turn before (with no I/O wait
 * between them), and the count's first slice must not lengthen that one.
 */
async function countInSlices(texts: readonly string[], limits: TokenBoundLimits, now: () => number): Promise<number[]> {
  const counts: number[] = [];
  let spentMs = 0;
  let sliceStart = now();
  const budgetLeft = () => spentMs + (now() - sliceStart) < limits.budgetMs;
  for (const text of texts) {
    if (!budgetLeft()) {
      counts.push(utf8Bytes(text));
      continue;
    }
    let tokens = 0;
    for (const chunk of countChunks(text)) {
      tokens += chunk.tokens;
      const sliceMs = now() - sliceStart;
      if (spentMs + sliceMs >= limits.budgetMs) {
        tokens += utf8Bytes(text.slice(chunk.end));
        break;
      }
      if (sliceMs >= limits.sliceMs) {
        spentMs += sliceMs;
        await nextTurn();
        sliceStart = now();
      }
    }
    counts.push(tokens);
  }
  return counts;
}
