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

/**
 * A prompt as what must be tokenized and what is counted without it: the
 * texts in prompt order, and the fixed tokens (framing, image allowances,
 * token-id inputs). Taking the texts out first lets one walk of a request
 * serve both the exact count and the bounded, event-loop-friendly one.
 */
export interface PromptTexts {
  texts: string[];
  fixedTokens: number;
}

/**
 * A chat request's prompt: per message its framing (TOKENS_PER_MESSAGE),
 * role, name (+ TOKENS_PER_NAME), text content and text parts, a fixed
 * allowance per image / non-text part, tool calls (name + arguments) and
 * tool-call ids; plus REPLY_PRIMING_TOKENS; plus the `tools` definitions as
 * their JSON text (OpenAI renders them differently, so this is an
 * estimate). Malformed entries are skipped, never thrown on: request bodies
 * are validated elsewhere (and bounded in depth, so `tools` can be encoded).
 */
export function chatPromptTexts(messages: readonly unknown[], tools?: unknown): PromptTexts {
  const prompt: PromptTexts = { texts: [], fixedTokens: REPLY_PRIMING_TOKENS };
  for (const message of messages) {
    prompt.fixedTokens += TOKENS_PER_MESSAGE;
    addMessage(prompt, message);
  }
  if (Array.isArray(tools) && tools.length > 0) prompt.texts.push(JSON.stringify(tools));
  return prompt;
}

function addMessage(prompt: PromptTexts, message: unknown): void {
  if (!isObject(message)) return;
  addString(prompt, message.role);
  addString(prompt, message.tool_call_id);
  addString(prompt, message.refusal);
  if (typeof message.name === "string") {
    prompt.texts.push(message.name);
    prompt.fixedTokens += TOKENS_PER_NAME;
  }
  addContent(prompt, message.content);
  if (Array.isArray(message.tool_calls)) {
    for (const call of message.tool_calls) if (isObject(call)) addFunctionCall(prompt, call.function);
  }
  addFunctionCall(prompt, message.function_call);
}

function addContent(prompt: PromptTexts, content: unknown): void {
  if (typeof content === "string") prompt.texts.push(content);
  else if (Array.isArray(content)) for (const part of content) addPart(prompt, part);
}

function addPart(prompt: PromptTexts, part: unknown): void {
  if (typeof part === "string") {
    prompt.texts.push(part);
    return;
  }
  if (!isObject(part)) return;
  switch (part.type) {
    case "text":
      return addString(prompt, part.text);
    case "refusal":
      return addString(prompt, part.refusal);
    case "image_url":
      prompt.fixedTokens +=
        isObject(part.image_url) && part.image_url.detail === "low" ? LOW_DETAIL_IMAGE_PART_TOKENS : IMAGE_PART_TOKENS;
      return;
    default:
      prompt.fixedTokens += NON_TEXT_PART_TOKENS;
  }
}

function addFunctionCall(prompt: PromptTexts, call: unknown): void {
  if (!isObject(call)) return;
  addString(prompt, call.name);
  addString(prompt, call.arguments);
}

function addString(prompt: PromptTexts, value: unknown): void {
  if (typeof value === "string" && value.length > 0) prompt.texts.push(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
