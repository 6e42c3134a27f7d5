import { UpstreamChatStream, type UpstreamChatStreamInit } from "../chat-adapter/upstream-chat-stream.js";
import type { ChatCompletionChunk } from "../spec/chat-wire.js";
import type { SseEvent } from "../sse/sse-event.js";
import type { SettledUsage } from "../usage/settle-usage.js";
import { anthropicStreamError } from "./anthropic-error.js";
import { AnthropicStreamTranslator } from "./anthropic-stream-translator.js";
import { mapAnthropicUsage } from "./map-anthropic-usage.js";

export interface AnthropicChatStreamInit extends UpstreamChatStreamInit {
  readonly upstreamRequestId: string | undefined;
  /** `created` of every chunk, Unix seconds. */
  readonly createdSeconds: number;
}

/**
 * The ChatStream of an Anthropic upstream: reads Anthropic's SSE events,
 * yields them translated to `chat.completion.chunk`s (see
 * AnthropicStreamTranslator), and ends on `message_stop`, then drains the
 * body so the connection can be reused. An `error` event throws a
 * `stream_error` after every chunk before it was yielded. The lifecycle
 * (release, error mapping) is UpstreamChatStream's.
 * https://docs.anthropic.com/en/docs/build-with-claude/streaming
 */
export class AnthropicChatStream extends UpstreamChatStream {
  readonly upstreamRequestId: string | undefined;
  readonly #init: AnthropicChatStreamInit;
  readonly #translator: AnthropicStreamTranslator;

  constructor(init: AnthropicChatStreamInit) {
    super(init);
    this.#init = init;
    this.upstreamRequestId = init.upstreamRequestId;
    this.#translator = new AnthropicStreamTranslator(init.createdSeconds);
  }

  get rawUsage(): unknown {
    return this.#translator.rawUsage;
  }

  protected chunksOf(event: SseEvent): ChatCompletionChunk[] {
    if (this.#translator.stopped) return []; // drain after message_stop so the connection returns to the pool
    const chunk = this.#translate(event.data);
    return chunk === undefined ? [] : [chunk];
  }

  protected isComplete(finished: boolean): boolean {
    return this.#translator.stopped || finished;
  }

  /**
   * Until message_delta arrives, Anthropic's output count is message_start's
   * placeholder: its prompt counts are kept (exact, cache included) and the
   * output is what was delivered, counted locally, so a cut stream is never
   * billed for less than it delivered.
   */
  protected settle(): SettledUsage {
    const reported = mapAnthropicUsage(this.#translator.rawUsage);
    if (reported !== undefined && !this.#translator.hasFinalUsage) {
      const outputTokens = Math.max(reported.outputTokens, this.delivered.outputTokens);
      return { usage: { ...reported, outputTokens }, source: "estimated" };
    }
    return this.settleReported(reported);
  }

  /** The chunk for one SSE event's data, or undefined. Throws on an `error` event or a malformed one. */
  #translate(data: string): ChatCompletionChunk | undefined {
    const payload = this.parseEventJson(data);
    if (typeof payload !== "object" || payload === null) throw this.invalid("a stream event that is not an object");
    const event = payload as Record<string, unknown>;
    // The SSE `event:` name repeats `type`; the payload is what Anthropic documents, so it is what is read.
    if (event.type === "error") {
      throw anthropicStreamError(this.#init.providerId, payload, data, this.#init.redact, {
        retryable: this.delivered.chunks === 0,
        upstreamRequestId: this.upstreamRequestId,
      });
    }
    return this.#translator.translate(event);
  }
}
