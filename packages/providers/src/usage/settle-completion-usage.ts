import type { NormalizedUsage } from "../spec/normalized-usage.js";
import type { ChatRequest } from "../spec/chat-wire.js";
import { countChatPromptTokens, countTextTokens } from "../tokens/count-tokens.js";
import { collectChoicesText } from "./generated-text.js";
import { settleUsage, type SettledUsage } from "./settle-usage.js";

/**
 * Settles the usage of a non-streamed answer: `reported` if plausible, else
 * a local count of the request's prompt and of the text in `choices`.
 */
export function settleCompletionUsage(
  choices: readonly unknown[],
  reported: NormalizedUsage | undefined,
  request: ChatRequest,
): SettledUsage {
  const pieces: string[] = [];
  collectChoicesText(choices, "message", pieces);
  return settleUsage({
    reported,
    producedText: pieces.length > 0,
    estimateInputTokens: () => countChatPromptTokens(request.messages, request.tools),
    estimateOutputTokens: () => countTextTokens(pieces.join("")),
  });
}
