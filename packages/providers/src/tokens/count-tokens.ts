import { countTokens } from "gpt-tokenizer/encoding/o200k_base";

/**
 * Local token counts with the o200k_base encoding (GPT-4o, GPT-4.1, o-series).
 * For other model families they are an estimate. Used for holds (the most a
 * call can cost) and whenever an upstream does not report usage, so that
 * usage is never recorded as zero when text was produced.
 */

/** Framing tokens per chat message (`<|start|>{role}<|message|>…<|end|>`), per OpenAI's cookbook. */
export const TOKENS_PER_MESSAGE = 3;
/** Extra token for a message carrying `name`. */
export const TOKENS_PER_NAME = 1;
/** Tokens priming the reply (`<|start|>assistant<|message|>`), once per prompt. */
export const REPLY_PRIMING_TOKENS = 3;
/**
 * Allowance per image part: the high-detail cost of a 1024×1024 image for
 * GPT-4o (85 base + 4 tiles × 170). The real cost depends on the image size,
 * which is not known without fetching it.
 */
export const IMAGE_PART_TOKENS = 765;
/** Allowance per image part sent with `detail: "low"` (a fixed 85 tokens for GPT-4o). */
export const LOW_DETAIL_IMAGE_PART_TOKENS = 85;
/** Allowance per other non-text part (audio, file): not counted from its bytes, which are base64 or references. */
export const NON_TEXT_PART_TOKENS = 765;

// Text that spells a special token (`<|endoftext|>`) is ordinary user text here.
const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

/** Tokens in `text`, special-token spellings counted as ordinary text. */
export function countTextTokens(text: string): number {
  return text.length === 0 ? 0 : countTokens(text, PLAIN_TEXT);
}

/**
 * Prompt tokens of a chat request: per message its framing
 * (TOKENS_PER_MESSAGE), role, name, text content and text parts, a fixed
 * allowance per image / non-text part, tool calls (name + arguments) and
 * tool-call ids; plus REPLY_PRIMING_TOKENS; plus the `tools` definitions
 * counted as their JSON text (OpenAI renders them differently, so this is an
 * estimate). Malformed entries are skipped, never thrown on: request bodies
 * are validated elsewhere.
 */
export function countChatPromptTokens(messages: readonly unknown[], tools?: unknown): number {
  let total = REPLY_PRIMING_TOKENS;
  for (const message of messages) total += TOKENS_PER_MESSAGE + countMessage(message);
  if (Array.isArray(tools) && tools.length > 0) total += countTextTokens(JSON.stringify(tools));
  return total;
}

function countMessage(message: unknown): number {
  if (!isObject(message)) return 0;
  let total = countString(message.role) + countString(message.tool_call_id) + countString(message.refusal);
  if (typeof message.name === "string") total += countTextTokens(message.name) + TOKENS_PER_NAME;
  total += countContent(message.content);
  if (Array.isArray(message.tool_calls)) {
    for (const call of message.tool_calls) total += isObject(call) ? countFunctionCall(call.function) : 0;
  }
  return total + countFunctionCall(message.function_call);
}

function countContent(content: unknown): number {
  if (typeof content === "string") return countTextTokens(content);
  if (!Array.isArray(content)) return 0;
  let total = 0;
  for (const part of content) total += countPart(part);
  return total;
}

function countPart(part: unknown): number {
  if (typeof part === "string") return countTextTokens(part);
  if (!isObject(part)) return 0;
  switch (part.type) {
    case "text":
      return countString(part.text);
    case "refusal":
      return countString(part.refusal);
    case "image_url":
      return isObject(part.image_url) && part.image_url.detail === "low"
        ? LOW_DETAIL_IMAGE_PART_TOKENS
        : IMAGE_PART_TOKENS;
    default:
      return NON_TEXT_PART_TOKENS;
  }
}

function countFunctionCall(call: unknown): number {
  if (!isObject(call)) return 0;
  return countString(call.name) + countString(call.arguments);
}

function countString(value: unknown): number {
  return typeof value === "string" ? countTextTokens(value) : 0;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
