import type { UpstreamPools } from "../http/upstream-pools.js";
import { assertApiKey } from "../options/assert-api-key.js";
import { assertExtraHeaders } from "../options/assert-extra-headers.js";
import { assertProviderId } from "../options/assert-provider-id.js";
import { basePathOf, parseBaseUrl } from "../options/parse-base-url.js";
import { resolveLimits } from "../options/resolve-limits.js";
import type { ResolvedUpstreamLimits, UpstreamLimitOptions } from "../options/upstream-limits.js";

/**
 * Settings of one OpenAI-compatible upstream. Every limit has a default
 * (OPENAI_COMPATIBLE_DEFAULTS); invalid values fail at construction.
 */
export interface OpenAICompatibleProviderOptions extends UpstreamLimitOptions {
  /** Stable name of the upstream (`openai`, `mock`, `groq`…), used in errors and logs. 1–64 characters. */
  readonly id: string;
  /** Base URL with its version prefix, e.g. `https://api.openai.com/v1`. http(s), no credentials, query or fragment. */
  readonly baseUrl: string;
  /** Sent as `Authorization: Bearer <apiKey>` when given. Never logged, never put in an error. */
  readonly apiKey?: string | undefined;
  /** Extra request headers (e.g. `OpenAI-Organization`). Must not include `authorization`. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** Connection pools shared with other providers. Default: private pools, closed by `close()`. */
  readonly pools?: UpstreamPools | undefined;
}

export interface ResolvedOpenAICompatibleOptions extends ResolvedUpstreamLimits {
  readonly id: string;
  readonly origin: string;
  /** Path prefix of the base URL without trailing slash, e.g. `/v1`. */
  readonly basePath: string;
}

/** Defaults of the optional limits of OpenAICompatibleProviderOptions (ms and bytes, as named). */
export const OPENAI_COMPATIBLE_DEFAULTS = Object.freeze({
  headersTimeoutMs: 60_000,
  bodyTimeoutMs: 60_000,
  requestTimeoutMs: 120_000,
  streamTimeoutMs: 600_000,
  maxResponseBytes: 16 * 1024 * 1024,
  maxStreamLineBytes: 1024 * 1024,
});

/** Validates the options; throws a TypeError / RangeError naming the bad option (never echoing the key). */
export function resolveOpenAICompatibleOptions(
  options: OpenAICompatibleProviderOptions,
): ResolvedOpenAICompatibleOptions {
  assertProviderId(options.id);
  assertApiKey(options.id, options.apiKey, false);
  assertExtraHeaders(options.id, options.headers, (name) =>
    name === "authorization" ? "pass the key as apiKey, not as an authorization header" : undefined,
  );
  const url = parseBaseUrl(options.id, options.baseUrl);
  const limits = resolveLimits(options.id, options, OPENAI_COMPATIBLE_DEFAULTS);
  return { id: options.id, origin: url.origin, basePath: basePathOf(url), ...limits };
}
