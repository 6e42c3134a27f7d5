import type { ChatCompletionChunk } from "../spec/chat-wire.js";
import { mapAnthropicStopReason, type OpenAIFinishReason } from "./map-anthropic-stop-reason.js";

/**
 * Turns Anthropic stream events into OpenAI `chat.completion.chunk`s, one
 * event at a time; at most one chunk per event. Pure: no I/O, no errors
 * (the `error` event is the stream's business).
 * https://docs.anthropic.com/en/docs/build-with-claude/streaming#event-types
 *
 * - `message_start` → the role chunk; its `usage` holds the prompt counts;
 * - `content_block_start` of a `tool_use` → a tool call with its index
 *   (counted over tool blocks only, as OpenAI numbers tool calls), id and
 *   name; of a text / thinking block with text → that text;
 * - `content_block_delta`: `text_delta` → `content`, `input_json_delta` →
 *   the call's `function.arguments`, `thinking_delta` → `reasoning_content`;
 * - `message_delta` → the finish chunk; its `usage` (cumulative) updates the
 *   counts, `null` fields leaving the earlier value;
 * - `message_stop` marks the end; `ping`, `content_block_stop` and event
 *   types added later yield nothing.
 */
export class AnthropicStreamTranslator {
  readonly #created: number;
  #id: unknown = undefined;
  #model: unknown = undefined;
  #usage: Record<string, unknown> | undefined;
  #finalUsage = false;
  #stopped = false;
  readonly #toolIndexByBlock = new Map<unknown, number>();

  constructor(createdSeconds: number) {
    this.#created = createdSeconds;
  }

  /** Anthropic's usage so far: message_start's, overlaid with message_delta's non-null counts. */
  get rawUsage(): Readonly<Record<string, unknown>> | undefined {
    return this.#usage;
  }

  /** Whether message_delta brought the final counts (output tokens included). */
  get hasFinalUsage(): boolean {
    return this.#finalUsage;
  }

  /** Whether `message_stop` was seen: the message is complete. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /** The chunk for one parsed event (`type` read from the payload), or undefined. */
  translate(event: Readonly<Record<string, unknown>>): ChatCompletionChunk | undefined {
    switch (event.type) {
      case "message_start":
        return this.#start(event.message);
      case "content_block_start":
        return this.#blockStart(event.index, event.content_block);
      case "content_block_delta":
        return this.#blockDelta(event.index, event.delta);
      case "message_delta":
        this.#mergeUsage(event.usage);
        if (isObject(event.usage)) this.#finalUsage = true;
        return this.#chunk({}, mapAnthropicStopReason(isObject(event.delta) ? event.delta.stop_reason : undefined));
      case "message_stop":
        this.#stopped = true;
        return undefined;
      default:
        return undefined;
    }
  }

  #start(message: unknown): ChatCompletionChunk {
    if (isObject(message)) {
      this.#id = message.id;
      this.#model = message.model;
      this.#mergeUsage(message.usage);
    }
    return this.#chunk({ role: "assistant", content: "" });
  }

  #blockStart(index: unknown, block: unknown): ChatCompletionChunk | undefined {
    if (!isObject(block)) return undefined;
    if (block.type === "tool_use" && typeof block.id === "string" && typeof block.name === "string") {
      const toolIndex = this.#toolIndexByBlock.size;
      this.#toolIndexByBlock.set(index, toolIndex);
      // Anthropic starts tool_use with `input: {}` and streams the JSON; a non-empty start is kept, not lost.
      const args = isObject(block.input) && Object.keys(block.input).length > 0 ? JSON.stringify(block.input) : "";
      return this.#chunk({
        tool_calls: [
          { index: toolIndex, id: block.id, type: "function", function: { name: block.name, arguments: args } },
        ],
      });
    }
    if (block.type === "text") return this.#text("content", block.text);
    if (block.type === "thinking") return this.#text("reasoning_content", block.thinking);
    return undefined;
  }

  #blockDelta(index: unknown, delta: unknown): ChatCompletionChunk | undefined {
    if (!isObject(delta)) return undefined;
    switch (delta.type) {
      case "text_delta":
        return this.#text("content", delta.text);
      case "thinking_delta":
        return this.#text("reasoning_content", delta.thinking);
      case "input_json_delta": {
        const toolIndex = this.#toolIndexByBlock.get(index);
        const json = delta.partial_json;
        if (toolIndex === undefined || typeof json !== "string" || json.length === 0) return undefined;
        return this.#chunk({ tool_calls: [{ index: toolIndex, function: { arguments: json } }] });
      }
      default:
        return undefined;
    }
  }

  #text(field: "content" | "reasoning_content", text: unknown): ChatCompletionChunk | undefined {
    return typeof text === "string" && text.length > 0 ? this.#chunk({ [field]: text }) : undefined;
  }

  #mergeUsage(usage: unknown): void {
    if (!isObject(usage)) return;
    const merged: Record<string, unknown> = { ...this.#usage };
    for (const [key, value] of Object.entries(usage)) if (value !== null && value !== undefined) merged[key] = value;
    this.#usage = merged;
  }

  #chunk(delta: Record<string, unknown>, finishReason: OpenAIFinishReason | null = null): ChatCompletionChunk {
    return {
      id: this.#id,
      object: "chat.completion.chunk",
      created: this.#created,
      model: this.#model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    };
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
