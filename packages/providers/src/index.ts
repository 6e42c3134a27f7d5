// Provider spec (types only).
export type { ChatContext, ChatProvider, ChatResult, ChatStream, DeliveredOutput } from "./spec/chat-provider.js";
export type { ChatCompletion, ChatCompletionChunk, ChatRequest } from "./spec/chat-wire.js";
export type { NormalizedUsage, UsageSource } from "./spec/normalized-usage.js";

// Errors.
export {
  isProviderError,
  MAX_PROVIDER_ERROR_BODY_CHARS,
  ProviderError,
  type ProviderErrorKind,
  type ProviderErrorOptions,
} from "./errors/provider-error.js";

// OpenAI-compatible adapter and its connection pools.
export {
  createOpenAICompatibleProvider,
  type OpenAICompatibleProvider,
} from "./openai-compatible/create-openai-compatible-provider.js";
export {
  OPENAI_COMPATIBLE_DEFAULTS,
  type OpenAICompatibleProviderOptions,
} from "./openai-compatible/openai-compatible-options.js";
export { mapOpenAIUsage } from "./openai-compatible/map-openai-usage.js";
export {
  DEFAULT_UPSTREAM_POOLS_OPTIONS,
  UpstreamPools,
  type UpstreamConnector,
  type UpstreamPoolsOptions,
} from "./http/upstream-pools.js";
export { MAX_RETRY_AFTER_SECONDS, parseRetryAfter } from "./http/parse-retry-after.js";

// Shared by the chat adapters (OpenAI-compatible, Anthropic, Gemini).
export type { PooledChatProvider } from "./chat-adapter/pooled-chat-provider.js";
export type { UpstreamLimitOptions } from "./options/upstream-limits.js";

// SSE codec.
export type { SseEvent } from "./sse/sse-event.js";
export {
  DEFAULT_MAX_SSE_EVENT_BYTES,
  DEFAULT_MAX_SSE_LINE_BYTES,
  SseLimitError,
  SseParser,
  type SseParserOptions,
} from "./sse/sse-parser.js";
export { parseSse } from "./sse/parse-sse.js";
export { encodeSseComment, encodeSseData, encodeSseEvent, SSE_DONE } from "./sse/encode-sse.js";

// Token counting (o200k_base).
export { countChatPromptTokens, countTextTokens } from "./tokens/count-tokens.js";
export {
  chatPromptTexts,
  IMAGE_PART_TOKENS,
  LOW_DETAIL_IMAGE_PART_TOKENS,
  NON_TEXT_PART_TOKENS,
  REPLY_PRIMING_TOKENS,
  TOKENS_PER_MESSAGE,
  TOKENS_PER_NAME,
  type PromptTexts,
} from "./tokens/prompt-texts.js";
export { boundPromptTokens, boundTextTokens } from "./tokens/bound-prompt-tokens.js";

// Mock upstream.
export {
  DEFAULT_MOCK_BEHAVIOR,
  MOCK_FAILURE_MODES,
  type MockBehavior,
  type MockFailureMode,
} from "./mock/mock-behavior.js";
export {
  startMockUpstream,
  type MockCalls,
  type MockUpstream,
  type MockUpstreamOptions,
} from "./mock/start-mock-upstream.js";

// Anthropic Messages API adapter.
export {
  createAnthropicProvider,
  type AnthropicChatResult,
  type AnthropicProvider,
} from "./anthropic/create-anthropic-provider.js";
export { ANTHROPIC_DEFAULTS, type AnthropicProviderOptions } from "./anthropic/anthropic-options.js";
export type { AnthropicChatStream } from "./anthropic/anthropic-chat-stream.js";
export { MAX_ANTHROPIC_WARNINGS, type AnthropicWarning } from "./anthropic/anthropic-warning.js";
export { mapAnthropicUsage } from "./anthropic/map-anthropic-usage.js";

// Cloud-safe URL guard (hard rule 3): store-time URL check and a connect-time guarded undici connector.
export * from "./url-guard/index.js";

// Gemini adapter (Google AI Studio keys).
export { createGeminiProvider, type GeminiChatResult, type GeminiProvider } from "./gemini/create-gemini-provider.js";
export type { GeminiChatStream } from "./gemini/gemini-chat-stream.js";
export { GEMINI_DEFAULT_BASE_URL, GEMINI_DEFAULTS, type GeminiProviderOptions } from "./gemini/gemini-options.js";
export type { GeminiWarning } from "./gemini/gemini-warning.js";
export { mapGeminiUsage } from "./gemini/map-gemini-usage.js";

// Embeddings (OpenAI-compatible) and native Responses API pass-through.
export type {
  EmbeddingInput,
  EmbeddingProvider,
  EmbeddingRequest,
  EmbeddingResponse,
  EmbeddingResult,
} from "./embeddings/embedding-provider.js";
export {
  createOpenAICompatibleEmbeddingProvider,
  type OpenAICompatibleEmbeddingProvider,
} from "./embeddings/create-openai-compatible-embedding-provider.js";
export { countEmbeddingInputTokens, embeddingInputs } from "./embeddings/count-embedding-input-tokens.js";
export { MOCK_EMBEDDING_DIMENSIONS, mockVector } from "./mock/mock-embeddings.js";
export type {
  ResponsesEvent,
  ResponsesEventStream,
  ResponsesProvider,
  ResponsesRequest,
  ResponsesResult,
} from "./responses/responses-provider.js";
export {
  createOpenAIResponsesProvider,
  type OpenAIResponsesProvider,
} from "./responses/create-openai-responses-provider.js";
export { mapResponsesUsage } from "./responses/map-responses-usage.js";
