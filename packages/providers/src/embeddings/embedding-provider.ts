/**
 * The embeddings part of the provider spec: types only. An adapter turns an
 * OpenAI-shaped embeddings request into one upstream call and reports what
 * to bill (input tokens only: embeddings produce no output tokens).
 * https://platform.openai.com/docs/api-reference/embeddings
 */
import type { ChatContext } from "../spec/chat-provider.js";
import type { UsageSource } from "../spec/normalized-usage.js";

/** What to embed: one text, several texts, one token array or several token arrays (o200k/cl100k ids). */
export type EmbeddingInput = string | readonly string[] | readonly number[] | readonly (readonly number[])[];

/** An embeddings request body after the gateway's validation. Unknown fields pass through upstream. */
export interface EmbeddingRequest {
  /** Upstream model id (the gateway has already mapped catalog ids). */
  readonly model: string;
  readonly input: EmbeddingInput;
  /** `float` (JSON numbers) or `base64` (little-endian float32 bytes). Forwarded as sent; OpenAI's default is `float`. */
  readonly encoding_format?: "float" | "base64" | undefined;
  readonly dimensions?: number | undefined;
  readonly user?: string | undefined;
  readonly [field: string]: unknown;
}

/** An embeddings response exactly as the upstream returned it, checked to be an object with a `data` array. */
export interface EmbeddingResponse {
  readonly data: readonly unknown[];
  readonly usage?: unknown;
  readonly [field: string]: unknown;
}

export interface EmbeddingResult {
  readonly body: EmbeddingResponse;
  /** Input tokens to bill: the upstream's `usage.prompt_tokens`, else counted locally (see `usageSource`). */
  readonly inputTokens: number;
  readonly usageSource: UsageSource;
  /** The provider's own usage object as received, for logs and audits. */
  readonly rawUsage: unknown;
  readonly upstreamRequestId: string | undefined;
}

/** An upstream that serves OpenAI-shaped embeddings. */
export interface EmbeddingProvider {
  readonly specificationVersion: "v1";
  /** Stable name of the upstream (`openai`, `mock`), used in errors, logs and metrics. */
  readonly id: string;
  /** One embeddings call. Rejects with `ProviderError` on any upstream failure. */
  embed(request: EmbeddingRequest, ctx: ChatContext): Promise<EmbeddingResult>;
}
