import type { SecretKeyring } from "@modelfaucet/core";
import type { Queryable } from "@modelfaucet/db";
import {
  createAnthropicProvider,
  createGeminiProvider,
  createOpenAICompatibleProvider,
  type UpstreamPools,
} from "@modelfaucet/providers";
import {
  loadDecryptedProviderKey,
  type DecryptedProviderKey,
  type ProviderKeyOwner,
  type ProviderKeyProvider,
} from "@modelfaucet/server-kit";
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

/** The adapter for one decrypted stored key. Its id is the key's provider name: never the key, never the URL. */
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
    default: {
      const url = baseUrl ?? DEFAULT_OPENAI_COMPATIBLE_BASE_URLS[key.provider];
      // The store requires a base_url for openai_compatible (CHECK constraint): a missing one is a bug.
      if (url === undefined) throw new Error(`stored key ${key.id} of provider ${key.provider} has no base URL`);
      return createOpenAICompatibleProvider({ ...common, baseUrl: url });
    }
  }
}

/**
 * Adapters for stored BYOK / developer keys, built on first use and kept per
 * key id for `ttlMs`, so a hot key is decrypted once a minute, not once a
 * request. Revocation still takes effect at once: routes are chosen from the
 * owner's active keys on every request, and a revoked id is never asked for.
 * The decrypted key lives only inside the adapter (its request header).
 */
export function createCredentialProviders(options: CredentialProvidersOptions) {
  const ttlMs = options.ttlMs ?? 60_000;
  const maxEntries = options.maxEntries ?? 10_000;
  const entries = new Map<string, { provider: Promise<ClosableProvider | undefined>; expiresAt: number }>();

  async function build(owner: ProviderKeyOwner, id: string): Promise<ClosableProvider | undefined> {
    const key = await loadDecryptedProviderKey(options.db, options.keyring, owner, id);
    return key && providerForKey(key, options.pools, options.timeouts);
  }

  return {
    /** The adapter for `owner`'s active key `id`; undefined when it was revoked meanwhile. */
    get(owner: ProviderKeyOwner, id: string): Promise<ClosableProvider | undefined> {
      const now = Date.now();
      const hit = entries.get(id);
      if (hit && hit.expiresAt > now) return hit.provider;
      const provider = build(owner, id);
      entries.delete(id);
      entries.set(id, { provider, expiresAt: now + ttlMs });
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
      provider.then(
        (built) => built === undefined && entries.delete(id),
        () => entries.delete(id),
      );
      return provider;
    },
    /** Drops every cached adapter (and with it every decrypted key). */
    clear(): void {
      entries.clear();
    },
  };
}

export type CredentialProviders = ReturnType<typeof createCredentialProviders>;
