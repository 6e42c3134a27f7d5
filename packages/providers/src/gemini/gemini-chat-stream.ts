import { UpstreamChatStream, type UpstreamChatStreamInit } from "../chat-adapter/upstream-chat-stream.js";
import type { ChatCompletionChunk } from "../spec/chat-wire.js";
import type { SseEvent } from "../sse/sse-event.js";
import type { SettledUsage } from "../usage/settle-usage.js";
import { geminiStreamError } from "./gemini-error.js";
import { GeminiChunkTranslator } from "./gemini-chunk-translator.js";
import { isRecord } from "./is-record.js";
import { mapGeminiUsage } from "./map-gemini-usage.js";

export interface GeminiChatStreamInit extends UpstreamChatStreamInit {
  /** The model asked for; reported in chunks until Gemini names its `modelVersion`. */
  readonly model: string;
}

/**
 * The ChatStream of a Gemini `streamGenerateContent?alt=sse` call. Each SSE
 * `data:` event is a GenerateContentResponse fragment, translated to OpenAI
 * chunks by GeminiChunkTranslator. Gemini sends no `[DONE]`: the stream is
 * complete when the body ends after every candidate sent a `finishReason`
 * (or the prompt was blocked); a body that ends or breaks before that is
 * `stream_interrupted`. The lifecycle (release, error mapping) is
 * UpstreamChatStream's.
 */
export class GeminiChatStream extends UpstreamChatStream {
  readonly #init: GeminiChatStreamInit;
  readonly #translator: GeminiChunkTranslator;

  constructor(init: GeminiChatStreamInit) {
    super(init);
    this.#init = init;
    this.#translator = new GeminiChunkTranslator(init.model);
  }

  /** Gemini's `responseId` (no request id header exists); undefined until the first event. */
  get upstreamRequestId(): string | undefined {
    return this.#translator.responseId;
  }

  /** The last `usageMetadata` Gemini sent, unchanged. */
  get rawUsage(): unknown {
    return this.#translator.rawUsage;
  }

  protected chunksOf(event: SseEvent): Iterable<ChatCompletionChunk> {
    const fragment = this.#parseFragment(event.data);
    return fragment === undefined ? [] : this.#translator.translate(fragment);
  }

  protected isComplete(): boolean {
    return this.#translator.complete;
  }

  protected settle(): SettledUsage {
    return this.settleReported(mapGeminiUsage(this.#translator.rawUsage));
  }

  /** The fragment of one event, undefined for an empty one. Throws on an error event or non-JSON. */
  #parseFragment(data: string): Record<string, unknown> | undefined {
    if (data.trim() === "") return undefined;
    const payload = this.parseEventJson(data);
    if (!isRecord(payload)) throw this.invalid("a stream event that is not an object");
    if (payload.error !== undefined && payload.error !== null) {
      throw geminiStreamError(this.#init.providerId, payload, data, this.#init.redact, this.delivered.chunks === 0);
    }
    return payload;
  }
}
