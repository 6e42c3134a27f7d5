/**
 * The upstream provider spec: types only, no behaviour. Every adapter
 * (OpenAI-compatible today; Anthropic, Gemini later) implements it, and the
 * gateway depends on nothing else. Modelled on the Vercel AI SDK's
 * `LanguageModelV2` (`doGenerate` / `doStream`), reduced to what the gateway
 * needs. A concept enters here only when three providers need it.
 */
import type { ChatCompletion, ChatCompletionChunk, ChatRequest } from "./chat-wire.js";
import type { NormalizedUsage, UsageSource } from "./normalized-usage.js";
import type { ProviderWarning } from "./provider-warning.js";

/** Per-call context supplied by the gateway. */
export interface ChatContext {
  /** Aborts the upstream call (client went away, deadline reached). */
  readonly signal: AbortSignal;
  /** The gateway's request id; forwarded upstream as `X-Client-Request-Id` when sane. */
  readonly requestId: string;
}

/** The outcome of a non-streaming call. */
export interface ChatResult {
  /** The upstream JSON body, unchanged. */
  readonly body: ChatCompletion;
  /** What to bill; see `usageSource` for whether it was reported or estimated. */
  readonly usage: NormalizedUsage;
  readonly usageSource: UsageSource;
  /** The provider's own usage object as received (undefined when absent), for logs and audits. */
  readonly rawUsage: unknown;
  /** The upstream's request id header (`x-request-id`), if any, for support tickets. */
  readonly upstreamRequestId: string | undefined;
  /** What of the request the adapter could not honour and dropped or changed; empty when nothing. */
  readonly warnings: readonly ProviderWarning[];
}

/**
 * Output handed to the consumer of a stream so far. Grows as chunks are
 * yielded; after an error or early stop it is exactly what was delivered.
 */
export interface DeliveredOutput {
  /** Chunks yielded to the consumer (usage-only chunks are not counted). */
  readonly chunks: number;
  /** All generated text yielded so far: content, refusal, reasoning and tool-call names/arguments, in arrival order. */
  readonly text: string;
  /** `text` counted with the o200k_base tokenizer, in tokens (an estimate for non-OpenAI models). */
  readonly outputTokens: number;
}

/**
 * A streaming call whose upstream answered 2xx. Iterate it once: it yields
 * each `chat.completion.chunk` that carries choices, in order; the usage-only
 * chunk is consumed and reported through `usage`. If the upstream dies, the
 * iterator throws a `ProviderError` AFTER yielding every chunk received
 * before, so `delivered` and `usage` still tell what to bill.
 *
 * Breaking out of the loop, calling `cancel()`, or the context's signal
 * firing closes the upstream request. A stream that is never iterated must
 * be cancelled, or it holds its connection until the body timeout.
 */
export interface ChatStream extends AsyncIterable<ChatCompletionChunk> {
  /** What has been yielded to the consumer so far. */
  readonly delivered: DeliveredOutput;
  /**
   * What to bill. Before the stream ends this is the running estimate; once
   * it has ended (normally, by error or by cancel) it is final: the upstream's
   * figure when it sent one, else an estimate from the prompt and `delivered`.
   */
  readonly usage: NormalizedUsage;
  readonly usageSource: UsageSource;
  /** The provider's own usage object when it sent one, else undefined. */
  readonly rawUsage: unknown;
  readonly upstreamRequestId: string | undefined;
  /** What of the request the adapter could not honour and dropped or changed; empty when nothing. */
  readonly warnings: readonly ProviderWarning[];
  /** Stops reading and closes the upstream request. Idempotent. */
  cancel(): void;
}

/** An upstream that serves OpenAI-shaped chat completions. */
export interface ChatProvider {
  /** Version of this spec the provider implements. */
  readonly specificationVersion: "v1";
  /** Stable name of the upstream (e.g. `openai`, `mock`), used in errors, logs and metrics. */
  readonly id: string;
  /** One non-streaming completion. Rejects with `ProviderError` on any upstream failure. */
  chat(request: ChatRequest, ctx: ChatContext): Promise<ChatResult>;
  /**
   * A streaming completion. Resolves once the upstream has answered 2xx, so
   * a refusal (429, 5xx, connection error) rejects here, before any byte
   * reached the client, and the caller may still fall back.
   */
  chatStream(request: ChatRequest, ctx: ChatContext): Promise<ChatStream>;
}
