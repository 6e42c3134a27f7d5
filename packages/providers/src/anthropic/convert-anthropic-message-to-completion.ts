import type { ChatCompletion } from "../spec/chat-wire.js";
import { mapAnthropicStopReason } from "./map-anthropic-stop-reason.js";

/** An Anthropic `message` object, checked only to have a `content` array. */
export interface AnthropicResponseMessage {
  readonly id?: unknown;
  readonly model?: unknown;
  readonly content: readonly unknown[];
  readonly stop_reason?: unknown;
  readonly usage?: unknown;
  readonly [field: string]: unknown;
}

/** Whether a parsed body is an Anthropic message (`type: "message"` with a content array). */
export function isAnthropicResponseMessage(body: unknown): body is AnthropicResponseMessage {
  return isObject(body) && body.type === "message" && Array.isArray(body.content);
}

/**
 * An Anthropic message → an OpenAI `chat.completion` (without `usage`, which
 * the caller settles and adds). Text blocks are joined into `content` (null
 * when there is none, as OpenAI does for tool-only answers), `thinking`
 * blocks into `reasoning_content` (the field DeepSeek, vLLM and OpenRouter
 * use), `tool_use` blocks become `tool_calls` with their input as JSON text.
 * Other blocks (server tools, redacted thinking) have no OpenAI form and are
 * left out. Anthropic has no creation time, so `created` is ours.
 * https://docs.anthropic.com/en/api/messages#response-content
 */
export function convertAnthropicMessageToCompletion(
  message: AnthropicResponseMessage,
  createdSeconds: number,
): ChatCompletion {
  const text: string[] = [];
  const reasoning: string[] = [];
  const toolCalls: unknown[] = [];
  for (const block of message.content) {
    if (!isObject(block)) continue;
    if (block.type === "text" && typeof block.text === "string") text.push(block.text);
    else if (block.type === "thinking" && typeof block.thinking === "string") reasoning.push(block.thinking);
    else if (block.type === "tool_use" && typeof block.id === "string" && typeof block.name === "string") {
      toolCalls.push({
        id: block.id,
        type: "function",
        function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) },
      });
    }
  }
  const assistant: Record<string, unknown> = {
    role: "assistant",
    content: text.length > 0 ? text.join("") : null,
    refusal: null,
  };
  if (reasoning.length > 0) assistant.reasoning_content = reasoning.join("");
  if (toolCalls.length > 0) assistant.tool_calls = toolCalls;
  return {
    id: message.id,
    object: "chat.completion",
    created: createdSeconds,
    model: message.model,
    choices: [
      { index: 0, message: assistant, logprobs: null, finish_reason: mapAnthropicStopReason(message.stop_reason) },
    ],
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
