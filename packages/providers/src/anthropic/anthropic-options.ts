import type { UpstreamPools } from "../http/upstream-pools.js";
import { assertApiKey } from "../options/assert-api-key.js";
import { assertExtraHeaders } from "../options/assert-extra-headers.js";
import { HEADER_TOKEN } from "../options/header-syntax.js";
import { assertProviderId } from "../options/assert-provider-id.js";
import { parseBaseUrl, basePathOf } from "../options/parse-base-url.js";
import { resolveLimits } from "../options/resolve-limits.js";
import type { ResolvedUpstreamLimits, UpstreamLimitOptions } from "../options/upstream-limits.js";

/**
 * Settings of one Anthropic upstream. Every limit has a default
 * (ANTHROPIC_DEFAULTS); invalid values fail at construction with a
 * TypeError / RangeError naming the option (never echoing the key).
 */
export interface AnthropicProviderOptions extends UpstreamLimitOptions {
  /** Stable name of the upstream, used in errors and logs. 1–64 characters. Default `anthropic`. */
  readonly id?: string | undefined;
  /**
   * Origin of the API, optionally with a path prefix (a proxy); `/v1/messages` is appended.
   * http(s), no credentials, query or fragment. Default `https://api.anthropic.com`.
   */
  readonly baseUrl?: string | undefined;
  /** Sent as `x-api-key`. Required. Never logged, never put in an error. */
  readonly apiKey: string;
  /** The `anthropic-version` header. Default `2023-06-01` (the only stable version). */
  readonly anthropicVersion?: string | undefined;
  /** Extra request headers (e.g. `anthropic-beta`). Must not set `x-api-key`, `authorization` or `anthropic-version`. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** Connection pools shared with other providers. Default: private pools, closed by `close()`. */
  readonly pools?: UpstreamPools | undefined;
  /**
   * Output tokens asked for when the request names neither `max_completion_tokens` nor `max_tokens`
   * (Anthropic requires `max_tokens`), in tokens. Default 4096, which every current Claude model accepts.
   */
  readonly defaultMaxTokens?: number | undefined;
}

export interface ResolvedAnthropicOptions extends ResolvedUpstreamLimits {
  readonly id: string;
  readonly origin: string;
  /** Full request path, e.g. `/v1/messages`. */
  readonly messagesPath: string;
  readonly anthropicVersion: string;
  readonly defaultMaxTokens: number;
}

/** Defaults of the numeric settings of AnthropicProviderOptions (ms, bytes and tokens, as named). */
const ANTHROPIC_LIMIT_DEFAULTS = Object.freeze({
  defaultMaxTokens: 4096,
  headersTimeoutMs: 60_000,
  bodyTimeoutMs: 60_000,
  // Long answers are slow.
  requestTimeoutMs: 600_000,
  streamTimeoutMs: 600_000,
  maxResponseBytes: 16 * 1024 * 1024,
  maxStreamLineBytes: 1024 * 1024,
});

/** Defaults of the optional settings of AnthropicProviderOptions (ms, bytes and tokens, as named). */
export const ANTHROPIC_DEFAULTS = Object.freeze({
  id: "anthropic",
  baseUrl: "https://api.anthropic.com",
  anthropicVersion: "2023-06-01",
  ...ANTHROPIC_LIMIT_DEFAULTS,
});

/** Headers the adapter owns; a caller setting them would bypass or leak the key handling. */
const RESERVED_HEADERS = new Set(["x-api-key", "authorization", "anthropic-version"]);

/** Validates the options and fills in defaults. */
export function resolveAnthropicOptions(options: AnthropicProviderOptions): ResolvedAnthropicOptions {
  const id = options.id ?? ANTHROPIC_DEFAULTS.id;
  assertProviderId(id);
  assertApiKey(id, options.apiKey, true);
  const anthropicVersion = options.anthropicVersion ?? ANTHROPIC_DEFAULTS.anthropicVersion;
  if (!HEADER_TOKEN.test(anthropicVersion)) {
    throw new TypeError(`provider "${id}": anthropicVersion must be printable ASCII without spaces`);
  }
  assertExtraHeaders(id, options.headers, (name) =>
    RESERVED_HEADERS.has(name) ? `header ${name} is set by the adapter, not by headers` : undefined,
  );
  const url = parseBaseUrl(id, options.baseUrl ?? ANTHROPIC_DEFAULTS.baseUrl);
  const limits = resolveLimits(id, options, ANTHROPIC_LIMIT_DEFAULTS);
  return { id, origin: url.origin, messagesPath: `${basePathOf(url)}/v1/messages`, anthropicVersion, ...limits };
}
