import { createOpenAIResponsesProvider, type ResponsesProvider, type UpstreamPools } from "@modelfaucet/providers";
import type { Config } from "@modelfaucet/server-kit";

/**
 * Upstreams that speak the Responses API natively, keyed by catalog provider
 * name: OpenAI. Every other provider is reached by translating over chat.
 */
export function platformResponsesProviders(config: Config, pools: UpstreamPools): Map<string, ResponsesProvider> {
  const providers = new Map<string, ResponsesProvider>();
  if (config.OPENAI_API_KEY) {
    providers.set(
      "openai",
      createOpenAIResponsesProvider({
        id: "openai",
        baseUrl: "https://api.openai.com/v1",
        apiKey: config.OPENAI_API_KEY,
        requestTimeoutMs: config.UPSTREAM_TIMEOUT_MS,
        streamTimeoutMs: config.UPSTREAM_TIMEOUT_MS,
        pools,
      }),
    );
  }
  return providers;
}
