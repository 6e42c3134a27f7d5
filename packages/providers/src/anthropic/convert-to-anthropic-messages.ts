import type { AnthropicContentBlock, AnthropicMessage, AnthropicTextBlock } from "./anthropic-wire.js";
import type { WarningCollector } from "../chat-adapter/warning-collector.js";
import { convertImageUrlToAnthropic } from "./convert-image-url-to-anthropic.js";

export interface AnthropicPrompt {
  /** Top-level system prompt: every system / developer message, in order; undefined when there is none. */
  readonly system: AnthropicTextBlock[] | undefined;
  /** Alternating user / assistant turns (consecutive turns of one role merged). */
  readonly messages: AnthropicMessage[];
}

/**
 * OpenAI chat messages → Anthropic `system` + `messages`.
 * https://docs.anthropic.com/en/api/messages
 *
 * - `system` / `developer` → top-level `system` text blocks (one placed after
 *   the conversation started is moved there too, with a warning: Anthropic
 *   has no mid-conversation system turn);
 * - `user` text and `image_url` parts → text / image blocks;
 * - `assistant` content → text blocks, `tool_calls` → `tool_use` blocks;
 * - `tool` → a `tool_result` block in a user turn, so several tool answers
 *   and the user text after them share one turn, results first, as Anthropic
 *   requires.
 * Empty text is skipped (Anthropic rejects empty text blocks); anything else
 * that cannot be expressed is dropped with a warning. Malformed entries are
 * skipped with a warning, never thrown on: request bodies are validated
 * before the adapter.
 */
export function convertToAnthropicMessages(messages: readonly unknown[], warnings: WarningCollector): AnthropicPrompt {
  const system: AnthropicTextBlock[] = [];
  const turns: AnthropicMessage[] = [];
  for (const message of messages) {
    if (!isObject(message)) {
      warnings.add("unsupported-content", "messages[]", "a message that is not an object was dropped");
      continue;
    }
    if (typeof message.name === "string") {
      warnings.add("unsupported-content", "messages[].name", "message names have no Anthropic equivalent");
    }
    switch (message.role) {
      case "system":
      case "developer":
        if (turns.length > 0) {
          warnings.add(
            "unsupported-content",
            "messages[].role=system",
            "a system message after the first turn was moved to the top-level system prompt",
          );
        }
        system.push(...textBlocks(message.content, "system", warnings));
        break;
      case "user":
        appendTurn(turns, "user", userBlocks(message.content, warnings), warnings);
        break;
      case "assistant":
        appendTurn(turns, "assistant", assistantBlocks(message, warnings), warnings);
        break;
      case "tool":
        appendTurn(turns, "user", toolResultBlocks(message, warnings), warnings);
        break;
      default:
        warnings.add(
          "unsupported-content",
          "messages[].role",
          "messages of a role other than system, developer, user, assistant or tool were dropped",
        );
    }
  }
  return { system: system.length > 0 ? system : undefined, messages: turns };
}

function appendTurn(
  turns: AnthropicMessage[],
  role: AnthropicMessage["role"],
  blocks: AnthropicContentBlock[],
  warnings: WarningCollector,
): void {
  if (blocks.length === 0) {
    warnings.add("unsupported-content", "messages[].content", "a message left without content was dropped");
    return;
  }
  const last = turns.at(-1);
  if (last !== undefined && last.role === role) last.content.push(...blocks);
  else turns.push({ role, content: blocks });
}

function userBlocks(content: unknown, warnings: WarningCollector): AnthropicContentBlock[] {
  if (!Array.isArray(content)) return textBlocks(content, "user", warnings);
  const blocks: AnthropicContentBlock[] = [];
  for (const part of content) {
    if (isObject(part) && part.type === "image_url") {
      const image = imageBlock(part.image_url, warnings);
      if (image !== undefined) blocks.push(image);
    } else {
      blocks.push(...textBlocks([part], "user", warnings));
    }
  }
  return blocks;
}

function imageBlock(imageUrl: unknown, warnings: WarningCollector): AnthropicContentBlock | undefined {
  const url = isObject(imageUrl) ? imageUrl.url : undefined;
  const image = typeof url === "string" ? convertImageUrlToAnthropic(url) : undefined;
  if (image === undefined) {
    warnings.add(
      "unsupported-content",
      "messages[].content[].image_url",
      "an image that is neither an http(s) URL nor a base64 JPEG, PNG, GIF or WebP data URL was dropped",
    );
    return undefined;
  }
  const detail = isObject(imageUrl) ? imageUrl.detail : undefined;
  if (detail !== undefined && detail !== null && detail !== "auto") {
    warnings.add("unsupported-setting", "messages[].content[].image_url.detail", "image detail is not supported");
  }
  return image;
}

function assistantBlocks(message: Record<string, unknown>, warnings: WarningCollector): AnthropicContentBlock[] {
  const blocks: AnthropicContentBlock[] = textBlocks(message.content, "assistant", warnings);
  const toolCalls = message.tool_calls;
  if (Array.isArray(toolCalls)) {
    for (const call of toolCalls) {
      const block = toolUseBlock(call, warnings);
      if (block !== undefined) blocks.push(block);
    }
  }
  if (message.function_call !== undefined && message.function_call !== null) {
    warnings.add("unsupported-content", "messages[].function_call", "legacy function_call was dropped; use tool_calls");
  }
  return blocks;
}

function toolUseBlock(call: unknown, warnings: WarningCollector): AnthropicContentBlock | undefined {
  const fn = isObject(call) ? call.function : undefined;
  if (
    !isObject(call) ||
    call.type !== "function" ||
    typeof call.id !== "string" ||
    !isObject(fn) ||
    typeof fn.name !== "string"
  ) {
    warnings.add(
      "unsupported-content",
      "messages[].tool_calls[]",
      "a tool call that is not a function call with an id and name was dropped",
    );
    return undefined;
  }
  return { type: "tool_use", id: call.id, name: fn.name, input: parseToolInput(fn.arguments, warnings) };
}

// Anthropic wants `input` as an object; OpenAI carries it as JSON text that models sometimes get wrong.
function parseToolInput(text: unknown, warnings: WarningCollector): unknown {
  if (typeof text === "string") {
    try {
      const input: unknown = JSON.parse(text);
      if (isObject(input) && !Array.isArray(input)) return input;
    } catch {
      // reported below
    }
  }
  warnings.add(
    "unsupported-content",
    "messages[].tool_calls[].function.arguments",
    "tool call arguments that are not a JSON object were sent as {}",
  );
  return {};
}

function toolResultBlocks(message: Record<string, unknown>, warnings: WarningCollector): AnthropicContentBlock[] {
  if (typeof message.tool_call_id !== "string") {
    warnings.add("unsupported-content", "messages[].tool_call_id", "a tool message without tool_call_id was dropped");
    return [];
  }
  const content = typeof message.content === "string" ? message.content : textBlocks(message.content, "tool", warnings);
  return [{ type: "tool_result", tool_use_id: message.tool_call_id, content }];
}

/** Text of a string or an array of `text` (and, for assistants, `refusal`) parts; other parts dropped with a warning. */
function textBlocks(content: unknown, role: string, warnings: WarningCollector): AnthropicTextBlock[] {
  if (typeof content === "string") return content.length > 0 ? [{ type: "text", text: content }] : [];
  if (content === undefined || content === null) return [];
  if (!Array.isArray(content)) {
    warnings.add(
      "unsupported-content",
      "messages[].content",
      "content that is neither a string nor an array was dropped",
    );
    return [];
  }
  const blocks: AnthropicTextBlock[] = [];
  for (const part of content) {
    const text = partText(part, role);
    if (text === undefined) {
      const type =
        isObject(part) && typeof part.type === "string" && KNOWN_PART_TYPES.has(part.type) ? part.type : "unknown";
      warnings.add(
        "unsupported-content",
        `messages[].content[].${type}`,
        `content parts of type ${JSON.stringify(type)} are not supported in ${role} messages and were dropped`,
      );
    } else if (text.length > 0) {
      blocks.push({ type: "text", text });
    }
  }
  return blocks;
}

function partText(part: unknown, role: string): string | undefined {
  if (!isObject(part)) return undefined;
  if (part.type === "text" && typeof part.text === "string") return part.text;
  if (role === "assistant" && part.type === "refusal" && typeof part.refusal === "string") return part.refusal;
  return undefined;
}

// Named in warnings; any other (caller-chosen) type is reported as "unknown", so warnings never echo input.
const KNOWN_PART_TYPES: ReadonlySet<string> = new Set(["text", "image_url", "input_audio", "file", "refusal"]);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
