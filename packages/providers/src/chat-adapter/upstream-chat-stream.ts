import type { Readable } from "node:stream";
import { ProviderError } from "../errors/provider-error.js";
import { transportError } from "../http/transport-error.js";
import type { UpstreamCall } from "../http/upstream-call.js";
import type { ChatStream } from "../spec/chat-provider.js";
import type { ChatCompletionChunk } from "../spec/chat-wire.js";
import type { NormalizedUsage, UsageSource } from "../spec/normalized-usage.js";
import type { ProviderWarning } from "../spec/provider-warning.js";
import { parseSse } from "../sse/parse-sse.js";
import type { SseEvent } from "../sse/sse-event.js";
import { SseLimitError, type SseParserOptions } from "../sse/sse-parser.js";
import { DeliveredOutputTracker } from "../usage/delivered-output-tracker.js";
import { settleUsage, type SettledUsage } from "../usage/settle-usage.js";

/** What every adapter's stream needs from the call that opened it. */
export interface UpstreamChatStreamInit {
  readonly providerId: string;
  /** The 2xx `text/event-stream` body. */
  readonly body: Readable;
  readonly call: UpstreamCall;
  readonly sseLimits: SseParserOptions;
  /** Local prompt count, used only if usage must be estimated. */
  readonly estimateInputTokens: () => number;
  /** Removes the key from an error event's body before it is kept for logs. */
  readonly redact: (text: string) => string;
  /** What the adapter could not honour of the request. Default: nothing. */
  readonly warnings?: readonly ProviderWarning[] | undefined;
}

/**
 * The lifecycle every adapter's ChatStream shares: iterated once; reads the
 * SSE body and yields the chunks the adapter translates from each event
 * (`chunksOf`); throws `stream_interrupted` when the body ends before the
 * adapter saw the end of the answer (`isComplete`), after every chunk before
 * it was yielded. Any early end (consumer break, cancel, caller signal,
 * error) destroys the body, which closes the upstream request; a normal end
 * leaves the body drained so the connection returns to the pool.
 *
 * Errors are mapped once here: a ProviderError passes through, an SSE limit
 * is `invalid_response`, a transport failure is mapped by `transportError`,
 * and once any chunk reached the consumer nothing is retryable (sending it
 * again would duplicate the answer).
 */
export abstract class UpstreamChatStream implements ChatStream {
  readonly delivered = new DeliveredOutputTracker();
  abstract readonly upstreamRequestId: string | undefined;
  abstract readonly rawUsage: unknown;
  readonly warnings: readonly ProviderWarning[];
  readonly #init: UpstreamChatStreamInit;
  #inputEstimate: number | undefined;
  #iterated = false;
  #released = false;

  constructor(init: UpstreamChatStreamInit) {
    this.#init = init;
    this.warnings = init.warnings ?? [];
  }

  /** The chunks to yield for one SSE event (none to skip it). Throws on an error event. */
  protected abstract chunksOf(event: SseEvent): Iterable<ChatCompletionChunk>;

  /**
   * Whether the answer ended properly once the body ended.
   * `finished`: some delivered chunk carried a `finish_reason` for its choice.
   */
  protected abstract isComplete(finished: boolean): boolean;

  /** Usage as reported by the upstream, or estimated where it is missing. */
  protected abstract settle(): SettledUsage;

  get usage(): NormalizedUsage {
    return this.settle().usage;
  }

  get usageSource(): UsageSource {
    return this.settle().source;
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
        for (const chunk of this.chunksOf(event)) {
          // Events already parsed from the last network read are not yielded once the call was ended.
          if (this.#init.call.cause !== undefined) throw new Error("upstream call ended early");
          finished = this.delivered.addChunk(chunk.choices) || finished;
          yield chunk;
        }
      }
      if (!this.isComplete(finished)) throw this.#interrupted(undefined);
    } catch (error) {
      throw this.#error(error);
    } finally {
      this.#release(false);
    }
    return undefined;
  }

  /** `reported` if plausible, else a local estimate of what was delivered (see settleUsage). */
  protected settleReported(reported: NormalizedUsage | undefined): SettledUsage {
    return settleUsage({
      reported,
      producedText: this.delivered.hasText,
      estimateInputTokens: () => (this.#inputEstimate ??= this.#init.estimateInputTokens()),
      estimateOutputTokens: () => this.delivered.outputTokens,
    });
  }

  /** The JSON of one event's data; throws `invalid_response` when it is not JSON. */
  protected parseEventJson(data: string): unknown {
    try {
      return JSON.parse(data) as unknown;
    } catch (error) {
      throw this.invalid("a stream event that is not JSON", error);
    }
  }

  protected invalid(what: string, cause?: unknown): ProviderError {
    const id = this.#init.providerId;
    return new ProviderError(id, "invalid_response", `Upstream "${id}" sent ${what}.`, {
      retryable: false,
      upstreamRequestId: this.upstreamRequestId,
      cause,
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
    if (error instanceof SseLimitError) return this.invalid(error.message, error);
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
}
