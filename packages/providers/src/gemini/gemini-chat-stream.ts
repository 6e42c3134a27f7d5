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
import { geminiStreamError } from "./gemini-error.js";
import type { GeminiWarning } from "./gemini-warning.js";
import { GeminiChunkTranslator } from "./gemini-chunk-translator.js";
import { isRecord } from "./is-record.js";
import { mapGeminiUsage } from "./map-gemini-usage.js";

export interface GeminiChatStreamInit {
  readonly providerId: string;
  /** The model asked for; reported in chunks until Gemini names its `modelVersion`. */
  readonly model: string;
  /** The 2xx `text/event-stream` body. */
  readonly body: Readable;
  readonly call: UpstreamCall;
  /** Local prompt count, used only if usage must be estimated. */
  readonly estimateInputTokens: () => number;
  readonly redact: (text: string) => string;
  readonly sseLimits: SseParserOptions;
  readonly warnings: readonly GeminiWarning[];
}

/**
 * The ChatStream of a Gemini `streamGenerateContent?alt=sse` call. Each SSE
 * `data:` event is a GenerateContentResponse fragment, translated to OpenAI
 * chunks by GeminiChunkTranslator. Gemini sends no `[DONE]`: the stream is
 * complete when the body ends after every candidate sent a `finishReason`
 * (or the prompt was blocked); a body that ends or breaks before that is
 * `stream_interrupted`, thrown after every chunk received was yielded.
 * Any early end (consumer break, cancel, caller signal, error) destroys the
 * body, which closes the upstream request.
 */
export class GeminiChatStream implements ChatStream {
  readonly delivered = new DeliveredOutputTracker();
  /** Settings the request could not honour; see GeminiWarning. */
  readonly warnings: readonly GeminiWarning[];
  readonly #init: GeminiChatStreamInit;
  readonly #translator: GeminiChunkTranslator;
  #inputEstimate: number | undefined;
  #iterated = false;
  #released = false;

  constructor(init: GeminiChatStreamInit) {
    this.#init = init;
    this.warnings = init.warnings;
    this.#translator = new GeminiChunkTranslator(init.model);
  }

  /** Gemini's `responseId` (no request id header exists); undefined until the first event. */
  get upstreamRequestId(): string | undefined {
    return this.#translator.responseId;
  }

  get usage(): NormalizedUsage {
    return this.#settle().usage;
  }

  get usageSource(): UsageSource {
    return this.#settle().source;
  }

  /** The last `usageMetadata` Gemini sent, unchanged. */
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
    try {
      for await (const event of parseSse(this.#init.body, this.#init.sseLimits)) {
        const fragment = this.#parseFragment(event.data);
        if (fragment === undefined) continue;
        for (const chunk of this.#translator.translate(fragment)) {
          // Events already parsed from the last network read are not yielded once the call was ended.
          if (this.#init.call.cause !== undefined) throw new Error("upstream call ended early");
          this.delivered.addChunk(chunk.choices);
          yield chunk;
        }
      }
      if (!this.#translator.complete) throw this.#interrupted(undefined);
    } catch (error) {
      throw this.#error(error);
    } finally {
      this.#release(false);
    }
    return undefined;
  }

  /** The fragment of one event, undefined for an empty one. Throws on an error event or non-JSON. */
  #parseFragment(data: string): Record<string, unknown> | undefined {
    if (data.trim() === "") return undefined;
    let payload: unknown;
    try {
      payload = JSON.parse(data);
    } catch (error) {
      throw this.#invalid("a stream event that is not JSON", error);
    }
    if (!isRecord(payload)) throw this.#invalid("a stream event that is not an object");
    if (payload.error !== undefined && payload.error !== null) {
      throw geminiStreamError(this.#init.providerId, payload, data, this.#init.redact, this.delivered.chunks === 0);
    }
    return payload;
  }

  #settle(): SettledUsage {
    return settleUsage({
      reported: mapGeminiUsage(this.#translator.rawUsage),
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
