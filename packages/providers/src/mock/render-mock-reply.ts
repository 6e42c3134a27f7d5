import type { MockBehavior } from "./mock-behavior.js";
import { mockReplyTokens } from "./mock-reply.js";
import type { MockChatRequest } from "./parse-mock-chat-request.js";

/**
 * A reply rendered once per (body, behaviour) and reused: every JSON
 * document minus its per-request head (`{"id":…,"object":…,"created":…,`),
 * which the server prepends. Keeps per-request work to string concatenation.
 */
export interface RenderedMockReply {
  readonly stream: boolean;
  /** Non-streaming body after the head. */
  readonly completionTail: string;
  /** Stream chunks after the head: role chunk, content chunks, finish chunk, then the usage chunk if any. */
  readonly chunkTails: readonly string[];
  /** Content chunks among `chunkTails`. */
  readonly contentChunks: number;
}

export const MOCK_SYSTEM_FINGERPRINT = "fp_mock";

/** The reply to `request` under `behavior`: `replyTokens` tokens truncated to the request's max tokens. */
export function renderMockReply(request: MockChatRequest, behavior: MockBehavior): RenderedMockReply {
  const limit = request.maxTokens ?? Number.POSITIVE_INFINITY;
  const outputTokens = Math.min(behavior.replyTokens, limit);
  const finishReason = behavior.replyTokens > limit ? "length" : "stop";
  const pieces = mockReplyTokens(request.lastUserText, outputTokens);
  const cached = Math.min(behavior.cachedTokens, request.promptTokens);
  const usage = usageJson(request.promptTokens, cached, outputTokens);
  const sendUsage = behavior.failure !== "omit_usage";
  const model = `"model":${JSON.stringify(request.model)}`;

  const message = `{"role":"assistant","content":${JSON.stringify(pieces.join(""))},"refusal":null,"annotations":[]}`;
  const completionTail =
    `${model},"choices":[{"index":0,"message":${message},"logprobs":null,"finish_reason":"${finishReason}"}],` +
    `${sendUsage ? `"usage":${usage},` : ""}"service_tier":"default","system_fingerprint":"${MOCK_SYSTEM_FINGERPRINT}"}`;

  const withUsage = request.includeUsage && sendUsage;
  const chunkHead = `${model},"service_tier":"default","system_fingerprint":"${MOCK_SYSTEM_FINGERPRINT}","choices":`;
  const nullUsage = withUsage ? `,"usage":null` : "";
  const choiceChunk = (delta: string, finish: string): string =>
    `${chunkHead}[{"index":0,"delta":${delta},"logprobs":null,"finish_reason":${finish}}]${nullUsage}}`;

  const groups = splitEvenly(pieces, behavior.chunkCount);
  const chunkTails = [choiceChunk(`{"role":"assistant","content":"","refusal":null}`, "null")];
  for (const group of groups) chunkTails.push(choiceChunk(`{"content":${JSON.stringify(group.join(""))}}`, "null"));
  chunkTails.push(choiceChunk("{}", `"${finishReason}"`));
  if (withUsage) chunkTails.push(`${chunkHead}[],"usage":${usage}}`);
  return { stream: request.stream, completionTail, chunkTails, contentChunks: groups.length };
}

/** `pieces` in min(parts, pieces.length) consecutive non-empty groups of near-equal size. */
function splitEvenly(pieces: readonly string[], parts: number): string[][] {
  const count = Math.min(parts, pieces.length);
  const groups: string[][] = [];
  for (let i = 0; i < count; i++) {
    groups.push(pieces.slice(Math.floor((i * pieces.length) / count), Math.floor(((i + 1) * pieces.length) / count)));
  }
  return groups;
}

function usageJson(prompt: number, cached: number, completion: number): string {
  return (
    `{"prompt_tokens":${prompt},"completion_tokens":${completion},"total_tokens":${prompt + completion},` +
    `"prompt_tokens_details":{"cached_tokens":${cached},"audio_tokens":0},` +
    `"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}`
  );
}
