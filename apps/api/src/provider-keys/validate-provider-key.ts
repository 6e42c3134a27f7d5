import type { ProviderKeyProvider } from "@modelfaucet/contract";
import { createGuardedConnector, type GuardedConnectorOptions } from "@modelfaucet/providers";
import { Agent, request } from "undici";

/** A key about to be stored, as the validation call sees it. */
export interface ProviderKeyCandidate {
  provider: ProviderKeyProvider;
  apiKey: string;
  /** Already accepted by the store-time URL guard; null = the provider's default endpoint. */
  baseUrl: string | null;
}

/**
 * The outcome of a validation call. `reason` is shown to the client: it names
 * what failed (an HTTP status, "unreachable") and never contains the key or
 * anything the upstream sent back.
 */
export type ProviderKeyValidation = { ok: true } | { ok: false; reason: string };

/** Checks that a key works before it is stored (`validate: true`). Injected so tests need no network. */
export type ProviderKeyValidator = (candidate: ProviderKeyCandidate) => Promise<ProviderKeyValidation>;

/** A validator that can also release its connections (on app close). */
export interface ClosableProviderKeyValidator {
  validate: ProviderKeyValidator;
  close(): Promise<void>;
}

export interface ProviderKeyValidatorOptions extends Pick<GuardedConnectorOptions, "allowPrivateHosts" | "lookup"> {
  /** Most time the whole validation call may take, ms. Default 10 000. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;

interface ProbeRequest {
  url: string;
  headers: Record<string, string>;
}

const bearer = (apiKey: string) => ({ authorization: `Bearer ${apiKey}` });
const under = (base: string, path: string) => `${base.replace(/\/+$/, "")}${path}`;

/**
 * The cheapest authenticated read of each provider: its model list (OpenRouter's
 * list is public, so its key-info endpoint instead).
 * - OpenAI-compatible: `GET {base}/models` (base includes the version, e.g. `/v1`).
 * - Anthropic: `GET {base}/v1/models` — https://docs.anthropic.com/en/api/models-list
 * - Gemini: `GET {base}/v1beta/models` — https://ai.google.dev/api/models#method:-models.list
 * - OpenRouter: `GET {base}/key` — https://openrouter.ai/docs/api/api-reference/api-keys/get-current-api-key
 */
export function probeRequest({ provider, apiKey, baseUrl }: ProviderKeyCandidate): ProbeRequest {
  switch (provider) {
    case "openai":
      return { url: under(baseUrl ?? "https://api.openai.com/v1", "/models"), headers: bearer(apiKey) };
    case "groq":
      return { url: under(baseUrl ?? "https://api.groq.com/openai/v1", "/models"), headers: bearer(apiKey) };
    case "together":
      return { url: under(baseUrl ?? "https://api.together.xyz/v1", "/models"), headers: bearer(apiKey) };
    case "mistral":
      return { url: under(baseUrl ?? "https://api.mistral.ai/v1", "/models"), headers: bearer(apiKey) };
    case "openrouter":
      return { url: under(baseUrl ?? "https://openrouter.ai/api/v1", "/key"), headers: bearer(apiKey) };
    case "anthropic":
      return {
        url: under(baseUrl ?? "https://api.anthropic.com", "/v1/models"),
        headers: { "x-api-key": apiKey, "anthropic-version": "2023-06-01" },
      };
    case "google":
      return {
        url: under(baseUrl ?? "https://generativelanguage.googleapis.com", "/v1beta/models"),
        headers: { "x-goog-api-key": apiKey },
      };
    case "openai_compatible":
      if (baseUrl === null) throw new TypeError("openai_compatible keys need a base_url");
      return { url: under(baseUrl, "/models"), headers: bearer(apiKey) };
  }
}

/**
 * The production validator: one GET per key through a URL-guarded undici
 * agent (every resolved address checked at connect time, no redirects
 * followed), bounded by `timeoutMs`. 2xx = valid; anything else is a refusal
 * naming only the HTTP status. The response body is discarded unread, so an
 * upstream that echoes the key cannot bring it back to us.
 */
export function createProviderKeyValidator(options: ProviderKeyValidatorOptions = {}): ClosableProviderKeyValidator {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 1) {
    throw new RangeError(`provider key validator timeoutMs must be a positive integer, got ${String(timeoutMs)}`);
  }
  const guard: GuardedConnectorOptions = { connectTimeoutMs: timeoutMs };
  if (options.allowPrivateHosts !== undefined) guard.allowPrivateHosts = options.allowPrivateHosts;
  if (options.lookup !== undefined) guard.lookup = options.lookup;
  const agent = new Agent({ connect: createGuardedConnector(guard), connections: 16 });

  async function validate(candidate: ProviderKeyCandidate): Promise<ProviderKeyValidation> {
    const probe = probeRequest(candidate);
    try {
      const response = await request(probe.url, {
        method: "GET",
        headers: { accept: "application/json", ...probe.headers },
        dispatcher: agent,
        signal: AbortSignal.timeout(timeoutMs),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      await response.body.dump();
      const status = response.statusCode;
      if (status >= 200 && status < 300) return { ok: true };
      if (status === 401 || status === 403)
        return { ok: false, reason: `the provider rejected the key (HTTP ${status})` };
      return { ok: false, reason: `the provider answered HTTP ${status}` };
    } catch {
      // The error may describe the request; none of it goes back to the client.
      return { ok: false, reason: "the provider could not be reached" };
    }
  }

  return { validate, close: () => agent.close() };
}
