// Only what apps, other packages and tests use. The rest of the package is
// internal: a test beside a module imports the module itself.

// Provider spec (types only).
export type { ChatContext, ChatProvider, ChatResult, ChatStream } from "./spec/chat-provider.js";
export type { ChatCompletionChunk } from "./spec/chat-wire.js";
export type { ProviderWarning } from "./spec/provider-warning.js";

// Errors.
export { isProviderError, ProviderError, type ProviderErrorKind } from "./errors/provider-error.js";

// Adapters and their connection pools.
export { createOpenAICompatibleProvider } from "./openai-compatible/create-openai-compatible-provider.js";
export { createAnthropicProvider } from "./anthropic/create-anthropic-provider.js";
export { createGeminiProvider } from "./gemini/create-gemini-provider.js";
export { UpstreamPools } from "./http/upstream-pools.js";
export { BodyTooLargeError, readBodyText } from "./http/read-body.js";

// SSE encoding and decoding.
export { encodeSseData, encodeSseEvent, SSE_DONE } from "./sse/encode-sse.js";
export { SseParser } from "./sse/sse-parser.js";

// Token counting (o200k_base).
export { countChatPromptTokens, countTextTokens } from "./tokens/count-tokens.js";
export { chatPromptTexts, type PromptTexts } from "./tokens/prompt-texts.js";
export { boundPromptTokens, boundTextTokens } from "./tokens/bound-prompt-tokens.js";
export { collectChoicesText } from "./usage/generated-text.js";

// Mock upstream.
export { startMockUpstream, type MockUpstream } from "./mock/start-mock-upstream.js";
export { MOCK_EMBEDDING_DIMENSIONS, mockVector } from "./mock/mock-embeddings.js";

// Cloud-safe URL guard (hard rule 3): store-time URL check and a connect-time guarded undici connector.
export {
  checkUrlOnStore,
  createGuardedConnector,
  createUrlGuardPolicy,
  isUrlGuardError,
  parseAllowPrivateHosts,
  type GuardedConnectorOptions,
  type UrlGuardPolicy,
} from "./url-guard/index.js";

// Embeddings (OpenAI-compatible) and native Responses API pass-through.
export type { EmbeddingInput, EmbeddingProvider, EmbeddingRequest } from "./embeddings/embedding-provider.js";
export { createOpenAICompatibleEmbeddingProvider } from "./embeddings/create-openai-compatible-embedding-provider.js";
export { countEmbeddingInputTokens, embeddingInputs } from "./embeddings/count-embedding-input-tokens.js";
export type {
  ResponsesEvent,
  ResponsesEventStream,
  ResponsesProvider,
  ResponsesResult,
} from "./responses/responses-provider.js";
export { createOpenAIResponsesProvider } from "./responses/create-openai-responses-provider.js";
