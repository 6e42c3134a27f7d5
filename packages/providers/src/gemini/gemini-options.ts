import type { UpstreamPools } from "../http/upstream-pools.js";
import { assertApiKey } from "../options/assert-api-key.js";
import { assertProviderId } from "../options/assert-provider-id.js";
import { parseBaseUrl, basePathOf } from "../options/parse-base-url.js";
import { resolveLimits } from "../options/resolve-limits.js";
import type { ResolvedUpstreamLimits, UpstreamLimitOptions } from "../options/upstream-limits.js";

/** Where Gemini is served by default (Google AI Studio keys). */
export const GEMINI_DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com";

/**
 * Settings of one Gemini upstream. Every limit has a default (GEMINI_DEFAULTS);
 * invalid values fail at construction.
 */
export interface GeminiProviderOptions extends UpstreamLimitOptions {
  /** Stable name of the upstream, used in errors and logs. 1–64 characters. Default `gemini`. */
  readonly id?: string | undefined;
  /**
   * Origin, optionally with a path prefix (a proxy), without the API version:
   * requests go to `{baseUrl}/v1beta/models/{model}:generateContent`.
   * http(s), no credentials, query or fragment. Default GEMINI_DEFAULT_BASE_URL.
   */
  readonly baseUrl?: string | undefined;
  /** Sent as the `x-goog-api-key` header, never in the URL (URLs end up in logs). Never logged, never put in an error. */
  readonly apiKey: string;
  /** Connection pools shared with other providers. Default: private pools, closed by `close()`. */
  readonly pools?: UpstreamPools | undefined;
}

export interface ResolvedGeminiOptions extends ResolvedUpstreamLimits {
  readonly id: string;
  readonly origin: string;
  /** Path prefix of the base URL without trailing slash; usually "". */
  readonly basePath: string;
}

/** Defaults of the optional limits of GeminiProviderOptions (ms and bytes, as named). */
export const GEMINI_DEFAULTS = Object.freeze({
  // A non-streaming Gemini call only answers once the whole reply (thinking included)
  // is generated, and a stream's first event comes after thinking.
  headersTimeoutMs: 120_000,
  bodyTimeoutMs: 60_000,
  requestTimeoutMs: 120_000,
  streamTimeoutMs: 600_000,
  maxResponseBytes: 16 * 1024 * 1024,
  maxStreamLineBytes: 1024 * 1024,
});

/** Validates the options; throws a TypeError / RangeError naming the bad option (never echoing the key). */
export function resolveGeminiOptions(options: GeminiProviderOptions): ResolvedGeminiOptions {
  const id = options.id ?? "gemini";
  assertProviderId(id);
  assertApiKey(id, options.apiKey, true);
  const url = parseBaseUrl(id, options.baseUrl ?? GEMINI_DEFAULT_BASE_URL);
  const limits = resolveLimits(id, options, GEMINI_DEFAULTS);
  return { id, origin: url.origin, basePath: basePathOf(url), ...limits };
}
