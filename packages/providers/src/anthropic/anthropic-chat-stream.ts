import type { Readable } from "node:stream";
import { ProviderError } from "../errors/provider-error.js";
import { transportError } from "../http/transport-error.js";
import type { UpstreamCall } from "../http/upstream-call.js";
import type { ChatStream } from "../spec/chat-provider.js";
import type { ChatCompletionChunk } from "../spec/chat-wire.js";
import type { NormalizedUsage, UsageSource } from "../spec/normalized-usage.js";
import { parseSse } from "../sse/parse-sse.js";
import { SseLimitError, type SseParserOptions } from "../sse/sse-parser.js";
import { DeliveredOutputTracker } from "../usage/delivered-output-tracker.js";
import { settleUsage, type SettledUsage } from "../usage/settle-usage.js";
import { anthropicStreamError } from "./anthropic-error.js";
import { AnthropicStreamTranslator } from "./anthropic-stream-translator.js";
import type { AnthropicWarning } from "./anthropic-warning.js";
import { mapAnthropicUsage } from "./map-anthropic-usage.js";

export interface AnthropicChatStreamInit {
  readonly providerId: string;
  /** The 2xx `text/event-stream` body. */
  readonly body: Readable;
  readonly call: UpstreamCall;
  readonly upstreamRequestId: string | undefined;
  /** Local prompt count, used only if usage must be estimated. */
  readonly estimateInputTokens: () => number;
  readonly redact: (text: string) => string;
  readonly sseLimits: SseParserOptions;
  /** `created` of every chunk, Unix seconds. */
  readonly createdSeconds: number;
  readonly warnings: readonly AnthropicWarning[];
}

/**
 * The ChatStream of an Anthropic upstream: reads Anthropic's SSE events,
 * yields them translated to `chat.completion.chunk`s (see
 * AnthropicStreamTranslator), and ends on `message_stop`, then drains the
 * body so the connection can be reused. An `error` event throws a
 * `stream_error` after every chunk before it was yielded. Any early end
 * (consumer break, cancel, caller signal, error) destroys the body, which
 * closes the upstream request. Mirrors OpenAIChatStream in its lifecycle.
 * https://docs.anthropic.com/en/docs/build-with-claude/streaming
 */
export class AnthropicChatStream implements ChatStream {
  readonly delivered = new DeliveredOutputTracker();
  readonly upstreamRequestId: string | undefined;
  /** Settings Anthropic could not honour; see AnthropicWarning. */
  readonly warnings: readonly AnthropicWarning[];
  readonly #init: AnthropicChatStreamInit;
  readonly #translator: AnthropicStreamTranslator;
  #inputEstimate: number | undefined;
  #iterated = false;
  #released = false;

  constructor(init: AnthropicChatStreamInit) {
    this.#init = init;
    this.upstreamRequestId = init.upstreamRequestId;
    this.warnings = init.warnings;
    this.#translator = new AnthropicStreamTranslator(init.createdSeconds);
  }

  get usage(): NormalizedUsage {
    return this.#settle().usage;
  }

  get usageSource(): UsageSource {
    return this.#settle().source;
  }

  get rawUsage(): unknown {
    return this.#translator.rawUsage;
  }

  cancel(): void {
    this.#release(true);
  }

  [Symbol.asyncIterator](): AsyncIterator<ChatCompletionChunk> {
    if (this.#iterated) throw new Error("a ChatStream can be iterated only once");
    this.#iterated = true;
    const inner = this.#run();
    return {
      next: () => inner.next(),
      // A consumer that stops early: close upstream first, so a pending read ends.
      return: (value?: unknown) => {
        this.#release(true);
        return inner.return(value as undefined);
      },
    };
  }

  async *#run(): AsyncGenerator<ChatCompletionChunk, undefined, undefined> {
    if (this.#released) throw this.#error(new Error("stream cancelled before iteration"));
    let finished = false;
    try {
      for await (const event of parseSse(this.#init.body, this.#init.sseLimits)) {
        if (this.#translator.stopped) continue; // drain after message_stop so the connection returns to the pool
        const chunk = this.#translate(event.data);
        if (chunk === undefined) continue;
        // Events already parsed from the last network read are not yielded once the call was ended.
        if (this.#init.call.cause !== undefined) throw new Error("upstream call ended early");
        finished = this.delivered.addChunk(chunk.choices) || finished;
        yield chunk;
      }
      if (!this.#translator.stopped && !finished) throw this.#interrupted(undefined);
    } catch (error) {
      throw this.#error(error);
    } finally {
      this.#release(false);
    }
    return undefined;
  }

  /** The chunk for one SSE event's data, or undefined. Throws on an `error` event or a malformed one. */
  #translate(data: string): ChatCompletionChunk | undefined {
    let payload: unknown;
    try {
      payload = JSON.parse(data);
    } catch (error) {
      throw this.#invalid("a stream event that is not JSON", error);
    }
    if (typeof payload !== "object" || payload === null) throw this.#invalid("a stream event that is not an object");
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

  /**
   * Until message_delta arrives, Anthropic's output count is message_start's
   * placeholder: its prompt counts are kept (exact, cache included) and the
   * output is what was delivered, counted locally, so a cut stream is never
   * billed for less than it delivered.
   */
  #settle(): SettledUsage {
    const reported = mapAnthropicUsage(this.#translator.rawUsage);
    if (reported !== undefined && !this.#translator.hasFinalUsage) {
      const outputTokens = Math.max(reported.outputTokens, this.delivered.outputTokens);
      return { usage: { ...reported, outputTokens }, source: "estimated" };
    }
    return settleUsage({
      reported,
      producedText: this.delivered.hasText,
      estimateInputTokens: () => (this.#inputEstimate ??= this.#init.estimateInputTokens()),
      estimateOutputTokens: () => this.delivered.outputTokens,
    });
  }

  #release(byConsumer: boolean): void {
    if (this.#released) return;
    this.#released = true;
    const { body, call } = this.#init;
    if (!body.readableEnded) {
      if (byConsumer) call.abort("consumer");
      body.destroy();
    }
    call.dispose();
  }

  #error(error: unknown): ProviderError {
    if (error instanceof ProviderError) return error;
    if (error instanceof SseLimitError) return this.#invalid(error.message, error);
    const mapped = transportError(this.#init.providerId, error, this.#init.call);
    if (mapped.kind === "connection") return this.#interrupted(error);
    if (!mapped.retryable || this.delivered.chunks === 0) return mapped;
    // Part of the answer already reached the consumer: sending it again would duplicate it.
    return new ProviderError(mapped.providerId, mapped.kind, mapped.message, {
      retryable: false,
      upstreamRequestId: this.upstreamRequestId,
      cause: error,
    });
  }

  #interrupted(cause: unknown): ProviderError {
    const id = this.#init.providerId;
    return new ProviderError(id, "stream_interrupted", `Upstream "${id}" stream ended before completion.`, {
      // Nothing reached the consumer yet: the caller may still retry or fall back.
      retryable: this.delivered.chunks === 0,
      upstreamRequestId: this.upstreamRequestId,
      cause,
    });
  }

  #invalid(what: string, cause?: unknown): ProviderError {
    const id = this.#init.providerId;
    return new ProviderError(id, "invalid_response", `Upstream "${id}" sent ${what}.`, {
      retryable: false,
      upstreamRequestId: this.upstreamRequestId,
      cause,
    });
  }
}
