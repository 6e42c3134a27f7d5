import {
  createAnthropicProvider,
  createGeminiProvider,
  createOpenAICompatibleProvider,
  UpstreamPools,
  type ChatProvider,
} from "@modelfaucet/providers";
import type { Config } from "@modelfaucet/server-kit";

/** A provider the Gateway can call and must close on shutdown. */
export type ClosableProvider = ChatProvider & { close(): Promise<void> };

/**
 * The platform pool: one upstream per catalog provider name, from server
 * credentials. Keys live only inside the adapters (never logged, never in
 * errors). All adapters share one set of keep-alive connection pools.
 */
export function platformProviders(config: Config): {
  providers: Map<string, ClosableProvider>;
  close(): Promise<void>;
} {
  const pools = new UpstreamPools();
  const timeouts = { requestTimeoutMs: config.UPSTREAM_TIMEOUT_MS, streamTimeoutMs: config.UPSTREAM_TIMEOUT_MS, pools };
  const providers = new Map<string, ClosableProvider>();
  if (config.MOCK_UPSTREAM_URL) {
    const baseUrl = `${config.MOCK_UPSTREAM_URL.replace(/\/$/, "")}/v1`;
    providers.set("mock", createOpenAICompatibleProvider({ id: "mock", baseUrl, ...timeouts }));
  }
  if (config.OPENAI_API_KEY) {
    providers.set(
      "openai",
      createOpenAICompatibleProvider({
        id: "openai",
        baseUrl: "https://api.openai.com/v1",
        apiKey: config.OPENAI_API_KEY,
        ...timeouts,
      }),
    );
  }
  if (config.ANTHROPIC_API_KEY) {
    providers.set("anthropic", createAnthropicProvider({ apiKey: config.ANTHROPIC_API_KEY, ...timeouts }));
  }
  if (config.GEMINI_API_KEY) {
    providers.set("google", createGeminiProvider({ id: "google", apiKey: config.GEMINI_API_KEY, ...timeouts }));
  }
  return {
    providers,
    async close() {
      await Promise.all([...providers.values()].map((provider) => provider.close()));
      await pools.close();
    },
  };
}
