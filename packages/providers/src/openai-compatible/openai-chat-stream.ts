import { UpstreamChatStream, type UpstreamChatStreamInit } from "../chat-adapter/upstream-chat-stream.js";
import type { ChatCompletionChunk } from "../spec/chat-wire.js";
import type { SseEvent } from "../sse/sse-event.js";
import type { SettledUsage } from "../usage/settle-usage.js";
import { mapOpenAIUsage } from "./map-openai-usage.js";
import { openAIStreamError } from "./openai-error-response.js";

export interface OpenAIChatStreamInit extends UpstreamChatStreamInit {
  readonly upstreamRequestId: string | undefined;
}

/**
 * The ChatStream of an OpenAI-compatible upstream. Reads SSE events, yields
 * chunks that carry choices, keeps the usage chunk for `usage`, and ends on
 * `[DONE]` (then drains the body so the connection can be reused). The
 * lifecycle (release, error mapping) is UpstreamChatStream's.
 * https://platform.openai.com/docs/api-reference/chat-streaming
 */
export class OpenAIChatStream extends UpstreamChatStream {
  readonly upstreamRequestId: string | undefined;
  readonly #init: OpenAIChatStreamInit;
  #rawUsage: unknown = undefined;
  #done = false;

  constructor(init: OpenAIChatStreamInit) {
    super(init);
    this.#init = init;
    this.upstreamRequestId = init.upstreamRequestId;
  }

  get rawUsage(): unknown {
    return this.#rawUsage;
  }

  protected chunksOf(event: SseEvent): ChatCompletionChunk[] {
    if (this.#done) return []; // drain after [DONE] so the connection returns to the pool
    if (event.data === "[DONE]") {
      this.#done = true;
      return [];
    }
    const chunk = this.#parseChunk(event.event, event.data);
    return chunk === undefined ? [] : [chunk];
  }

  protected isComplete(finished: boolean): boolean {
    return this.#done || finished;
  }

  protected settle(): SettledUsage {
    return this.settleReported(mapOpenAIUsage(this.#rawUsage));
  }

  /** The chunk to yield, or undefined for a usage-only / empty chunk. Throws on an error event. */
  #parseChunk(eventName: string | undefined, data: string): ChatCompletionChunk | undefined {
    const payload = this.parseEventJson(data);
    if (typeof payload !== "object" || payload === null) throw this.invalid("a stream event that is not an object");
    const fields = payload as { choices?: unknown; usage?: unknown; error?: unknown };
    if (
      eventName === "error" ||
      (fields.error !== undefined && fields.error !== null && fields.choices === undefined)
    ) {
      throw openAIStreamError(this.#init.providerId, payload, data, this.#init.redact, this.delivered.chunks === 0);
    }
    if (!Array.isArray(fields.choices)) throw this.invalid("a chunk without a choices array");
    if (fields.usage !== undefined && fields.usage !== null) this.#rawUsage = fields.usage;
    return fields.choices.length === 0 ? undefined : (payload as ChatCompletionChunk);
  }
}
