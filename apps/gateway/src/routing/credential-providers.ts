import type { ProviderKeyProvider } from "@modelfaucet/contract";
import type { SecretKeyring } from "@modelfaucet/crypto";
import type { Queryable } from "@modelfaucet/db";
import {
  createAnthropicProvider,
  createGeminiProvider,
  createOpenAICompatibleEmbeddingProvider,
  createOpenAICompatibleProvider,
  createOpenAIResponsesProvider,
  type ChatProvider,
  type EmbeddingProvider,
  type ResponsesProvider,
  type UpstreamPools,
} from "@modelfaucet/providers";
import { loadDecryptedProviderKey, type DecryptedProviderKey, type ProviderKeyOwner } from "@modelfaucet/store";
import type { ClosableProvider } from "../platform-providers.js";

/** Where an OpenAI-compatible stored key goes when it has no base_url of its own. */
const DEFAULT_OPENAI_COMPATIBLE_BASE_URLS: Partial<Record<ProviderKeyProvider, string>> = {
  openai: "https://api.openai.com/v1",
  openrouter: "https://openrouter.ai/api/v1",
  groq: "https://api.groq.com/openai/v1",
  together: "https://api.together.xyz/v1",
  mistral: "https://api.mistral.ai/v1",
};

export interface CredentialProvidersOptions {
  db: Queryable;
  keyring: SecretKeyring;
  /** Guarded pools: every connection to a stored base URL passes the URL guard. */
  pools: UpstreamPools;
  timeouts: { requestTimeoutMs: number; streamTimeoutMs: number };
  /** How long a built provider (holding the decrypted key) is reused, ms. Default 60 000. */
  ttlMs?: number | undefined;
  /** Most cached providers. Default 10 000. */
  maxEntries?: number | undefined;
}

/**
 * What one route can serve: chat always; embeddings where the upstream has an
 * OpenAI-compatible embeddings API; the Responses API natively where the
 * upstream speaks it (OpenAI) — elsewhere responses are translated over chat.
 */
export interface RouteAdapters {
  chat: ChatProvider;
  embeddings: EmbeddingProvider | undefined;
  responses: ResponsesProvider | undefined;
}

/** Anthropic and Gemini keys speak their own APIs; every other provider is OpenAI-compatible. */
const speaksOpenAI = (key: DecryptedProviderKey) => key.provider !== "anthropic" && key.provider !== "google";

/** The OpenAI-compatible base URL of a stored key: its own, or its provider's. */
function openAICompatibleBaseUrl(key: DecryptedProviderKey): string {
  const url = key.baseUrl ?? DEFAULT_OPENAI_COMPATIBLE_BASE_URLS[key.provider];
  // The store requires a base_url for openai_compatible (CHECK constraint): a missing one is a bug.
  if (url === undefined) throw new Error(`stored key ${key.id} of provider ${key.provider} has no base URL`);
  return url;
}

/** Every adapter one decrypted stored key supports. Ids are the key's provider name: never the key, never the URL. */
export function adaptersForKey(
  key: DecryptedProviderKey,
  pools: UpstreamPools,
  timeouts: CredentialProvidersOptions["timeouts"],
): RouteAdapters {
  const chat = providerForKey(key, pools, timeouts);
  if (!speaksOpenAI(key)) return { chat, embeddings: undefined, responses: undefined };
  const common = { id: key.provider, apiKey: key.apiKey, baseUrl: openAICompatibleBaseUrl(key), pools, ...timeouts };
  return {
    chat,
    embeddings: createOpenAICompatibleEmbeddingProvider(common),
    responses: key.provider === "openai" ? createOpenAIResponsesProvider(common) : undefined,
  };
}

/** The chat adapter for one decrypted stored key. Its id is the key's provider name: never the key, never the URL. */
export function providerForKey(
  key: DecryptedProviderKey,
  pools: UpstreamPools,
  timeouts: CredentialProvidersOptions["timeouts"],
): ClosableProvider {
  const common = { id: key.provider, apiKey: key.apiKey, pools, ...timeouts };
  const baseUrl = key.baseUrl ?? undefined;
  switch (key.provider) {
    case "anthropic":
      return createAnthropicProvider({ ...common, baseUrl });
    case "google":
      return createGeminiProvider({ ...common, baseUrl });
    default:
      return createOpenAICompatibleProvider({ ...common, baseUrl: openAICompatibleBaseUrl(key) });
  }
}

/**
 * Adapters for stored BYOK / developer keys (chat, embeddings, responses),
 * built on first use and kept per key id for `ttlMs`, so a hot key is decrypted once a minute, not once a
 * request. Revocation still takes effect at once: routes are chosen from the
 * owner's active keys on every request, and a revoked id is never asked for.
 * The decrypted key lives only inside the adapter (its request header).
 */
export function createCredentialProviders(options: CredentialProvidersOptions) {
  const ttlMs = options.ttlMs ?? 60_000;
  const maxEntries = options.maxEntries ?? 10_000;
  const entries = new Map<string, { adapters: Promise<RouteAdapters | undefined>; expiresAt: number }>();

  async function build(owner: ProviderKeyOwner, id: string): Promise<RouteAdapters | undefined> {
    const key = await loadDecryptedProviderKey(options.db, options.keyring, owner, id);
    return key && adaptersForKey(key, options.pools, options.timeouts);
  }

  function adapters(owner: ProviderKeyOwner, id: string): Promise<RouteAdapters | undefined> {
    const now = Date.now();
    const hit = entries.get(id);
    if (hit && hit.expiresAt > now) return hit.adapters;
    const built = build(owner, id);
    entries.delete(id);
    entries.set(id, { adapters: built, expiresAt: now + ttlMs });
    if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
    built.then(
      (result) => result === undefined && entries.delete(id),
      () => entries.delete(id),
    );
    return built;
  }

  return {
    /** Every adapter of `owner`'s active key `id`; undefined when it was revoked meanwhile. */
    adapters,
    /** Drops every cached adapter (and with it every decrypted key). */
    clear(): void {
      entries.clear();
    },
  };
}

export type CredentialProviders = ReturnType<typeof createCredentialProviders>;
