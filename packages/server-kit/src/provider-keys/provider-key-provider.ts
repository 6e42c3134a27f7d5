/** Upstreams a stored provider key may be for. `openai_compatible` needs a base_url. */
export const PROVIDER_KEY_PROVIDERS = [
  "openai",
  "anthropic",
  "google",
  "openrouter",
  "groq",
  "together",
  "mistral",
  "openai_compatible",
] as const;

export type ProviderKeyProvider = (typeof PROVIDER_KEY_PROVIDERS)[number];
