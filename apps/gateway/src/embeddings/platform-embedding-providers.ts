import {
  createOpenAICompatibleEmbeddingProvider,
  type EmbeddingProvider,
  type UpstreamPools,
} from "@modelfaucet/providers";
import type { Config } from "@modelfaucet/server-kit";

/**
 * Embedding upstreams of the platform pool, keyed by catalog provider name,
 * from the same server credentials as chat: the mock and OpenAI. Anthropic
 * has no embeddings API; Gemini's (`embedContent`) is not adapted yet.
 */
export function platformEmbeddingProviders(config: Config, pools: UpstreamPools): Map<string, EmbeddingProvider> {
  const timeouts = { requestTimeoutMs: config.UPSTREAM_TIMEOUT_MS, pools };
  const providers = new Map<string, EmbeddingProvider>();
  if (config.MOCK_UPSTREAM_URL) {
    const baseUrl = `${config.MOCK_UPSTREAM_URL.replace(/\/$/, "")}/v1`;
    providers.set("mock", createOpenAICompatibleEmbeddingProvider({ id: "mock", baseUrl, ...timeouts }));
  }
  if (config.OPENAI_API_KEY) {
    providers.set(
      "openai",
      createOpenAICompatibleEmbeddingProvider({
        id: "openai",
        baseUrl: "https://api.openai.com/v1",
        apiKey: config.OPENAI_API_KEY,
        ...timeouts,
      }),
    );
  }
  return providers;
}
