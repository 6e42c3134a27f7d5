import { randomBytes } from "node:crypto";
import type { ChatCompletion } from "../spec/chat-wire.js";
import type { NormalizedUsage } from "../spec/normalized-usage.js";
import { isRecord } from "./is-record.js";
import { mapGeminiFinishReason } from "./map-gemini-finish-reason.js";
import { candidateIndex, completionId, readGeminiParts } from "./read-gemini-parts.js";

/**
 * A `GenerateContentResponse` → an OpenAI `chat.completion` (without
 * `usage`, added by the caller once it is settled). One choice per
 * candidate. A prompt blocked by Gemini (`promptFeedback.blockReason`, no
 * candidates) becomes one empty choice with `finish_reason:
 * "content_filter"`, not an error: the request was processed, retrying or
 * falling back would not be the same request's remedy, and clients already
 * handle that reason. Returns undefined for a response with neither
 * candidates nor a block reason (the caller reports invalid_response).
 * https://ai.google.dev/api/generate-content#generatecontentresponse
 */
export function convertGeminiResponse(response: Record<string, unknown>, model: string): ChatCompletion | undefined {
  const candidates = Array.isArray(response.candidates) ? response.candidates.filter(isRecord) : [];
  const choices = candidates.map((candidate, position) => convertCandidate(candidate, position));
  if (choices.length === 0) {
    if (!isBlocked(response)) return undefined;
    choices.push({
      index: 0,
      message: { role: "assistant", content: null },
      logprobs: null,
      finish_reason: "content_filter",
    });
  }
  return {
    id: newCompletionId(response),
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: typeof response.modelVersion === "string" ? response.modelVersion : model,
    choices,
  };
}

/** The usage object of an OpenAI completion, from the usage we bill. */
export function openAIUsage(usage: NormalizedUsage, reasoningTokens: number): Record<string, unknown> {
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedInputTokens },
    completion_tokens_details: { reasoning_tokens: reasoningTokens },
  };
}

/** Whether Gemini refused the prompt itself. https://ai.google.dev/api/generate-content#PromptFeedback */
export function isBlocked(response: Record<string, unknown>): boolean {
  const feedback = response.promptFeedback;
  return isRecord(feedback) && typeof feedback.blockReason === "string" && feedback.blockReason.length > 0;
}

/** `chatcmpl-<responseId>`, or a random id when Gemini sent none. */
export function newCompletionId(response: Record<string, unknown>): string {
  return `chatcmpl-${completionId(response) ?? randomBytes(12).toString("hex")}`;
}

function convertCandidate(candidate: Record<string, unknown>, position: number) {
  const output = readGeminiParts(candidate.content);
  const message: Record<string, unknown> = { role: "assistant", content: output.text === "" ? null : output.text };
  if (output.reasoning !== "") message.reasoning_content = output.reasoning;
  if (output.toolCalls.length > 0) message.tool_calls = output.toolCalls;
  const reason = typeof candidate.finishReason === "string" ? candidate.finishReason : "STOP";
  return {
    index: candidateIndex(candidate, position),
    message,
    logprobs: null,
    finish_reason: mapGeminiFinishReason(reason, output.toolCalls.length > 0),
  };
}
