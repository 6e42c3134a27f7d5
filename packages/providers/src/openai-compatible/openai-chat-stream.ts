import type { Readable } from "node:stream";
import { ProviderError } from "../errors/provider-error.js";
import type { UpstreamCall } from "../http/upstream-call.js";
import { transportError } from "../http/transport-error.js";
import type { ChatStream } from "../spec/chat-provider.js";
import type { ChatCompletionChunk } from "../spec/chat-wire.js";
import type { NormalizedUsage, UsageSource } from "../spec/normalized-usage.js";
import { parseSse } from "../sse/parse-sse.js";
import { SseLimitError, type SseParserOptions } from "../sse/sse-parser.js";
import { DeliveredOutputTracker } from "../usage/delivered-output-tracker.js";
import { settleUsage, type SettledUsage } from "../usage/settle-usage.js";
import { mapOpenAIUsage } from "./map-openai-usage.js";
import { openAIStreamError } from "./openai-error-response.js";

export interface OpenAIChatStreamInit {
  readonly providerId: string;
  /** The 2xx `text/event-stream` body. */
  readonly body: Readable;
  readonly call: UpstreamCall;
  readonly upstreamRequestId: string | undefined;
  /** Local prompt count, used only if usage must be estimated. */
  readonly estimateInputTokens: () => number;
  readonly redact: (text: string) => string;
  readonly sseLimits: SseParserOptions;
}

/**
 * The ChatStream of an OpenAI-compatible upstream. Reads SSE events, yields
 * chunks that carry choices, keeps the usage chunk for `usage`, and ends on
 * `[DONE]` (then drains the body so the connection can be reused). Any early
 * end (consumer break, cancel, caller signal, error) destroys the body,
 * which closes the upstream request.
 * https://platform.openai.com/docs/api-reference/chat-streaming
 */
export class OpenAIChatStream implements ChatStream {
  readonly delivered = new DeliveredOutputTracker();
  readonly upstreamRequestId: string | undefined;
  readonly #init: OpenAIChatStreamInit;
  #rawUsage: unknown = undefined;
  #inputEstimate: number | undefined;
  #iterated = false;
  #released = false;

  constructor(init: OpenAIChatStreamInit) {
    this.#init = init;
    this.upstreamRequestId = init.upstreamRequestId;
  }

  get usage(): NormalizedUsage {
    return this.#settle().usage;
  }

  get usageSource(): UsageSource {
    return this.#settle().source;
  }

  get rawUsage(): unknown {
    return this.#rawUsage;
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
    let done = false;
    let finished = false;
    try {
      for await (const event of parseSse(this.#init.body, this.#init.sseLimits)) {
        if (done) continue; // drain after [DONE] so the connection returns to the pool
        if (event.data === "[DONE]") {
          done = true;
          continue;
        }
        const chunk = this.#parseChunk(event.event, event.data);
        if (chunk === undefined) continue;
        // Events already parsed from the last network read are not yielded once the call was ended.
        if (this.#init.call.cause !== undefined) throw new Error("upstream call ended early");
        finished = this.delivered.addChunk(chunk.choices) || finished;
        yield chunk;
      }
      if (!done && !finished) throw this.#interrupted(undefined);
    } catch (error) {
      throw this.#error(error);
    } finally {
      this.#release(false);
    }
    return undefined;
  }

  /** The chunk to yield, or undefined for a usage-only / empty chunk. Throws on an error event. */
  #parseChunk(eventName: string | undefined, data: string): ChatCompletionChunk | undefined {
    let payload: unknown;
    try {
      payload = JSON.parse(data);
    } catch (error) {
      throw this.#invalid("a stream event that is not JSON", error);
    }
    if (typeof payload !== "object" || payload === null) throw this.#invalid("a stream event that is not an object");
    const fields = payload as { choices?: unknown; usage?: unknown; error?: unknown };
    if (
      eventName === "error" ||
      (fields.error !== undefined && fields.error !== null && fields.choices === undefined)
    ) {
      throw openAIStreamError(this.#init.providerId, payload, data, this.#init.redact, this.delivered.chunks === 0);
    }
    if (!Array.isArray(fields.choices)) throw this.#invalid("a chunk without a choices array");
    if (fields.usage !== undefined && fields.usage !== null) this.#rawUsage = fields.usage;
    return fields.choices.length === 0 ? undefined : (payload as ChatCompletionChunk);
  }

  #settle(): SettledUsage {
    return settleUsage({
      reported: mapOpenAIUsage(this.#rawUsage),
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
