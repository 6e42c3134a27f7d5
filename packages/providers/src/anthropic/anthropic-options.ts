import type { UpstreamPools } from "../http/upstream-pools.js";

/**
 * Settings of one Anthropic upstream. Every limit has a default; invalid
 * values fail at construction with a TypeError / RangeError naming the option
 * (never echoing the key).
 */
export interface AnthropicProviderOptions {
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
  /** Most time from sending to the response headers (for a stream: to its first byte), ms. Default 60 000. */
  readonly headersTimeoutMs?: number | undefined;
  /** Most idle time between two body chunks, ms. Default 60 000. */
  readonly bodyTimeoutMs?: number | undefined;
  /** Most time a non-streaming call may take, end to end, ms. Default 600 000 (long answers are slow). */
  readonly requestTimeoutMs?: number | undefined;
  /** Most time a stream may last, end to end, ms. Default 600 000. */
  readonly streamTimeoutMs?: number | undefined;
  /** Largest non-streaming response body accepted, bytes. Default 16 MiB. */
  readonly maxResponseBytes?: number | undefined;
  /** Longest SSE line accepted in a stream, bytes. Default 1 MiB. */
  readonly maxStreamLineBytes?: number | undefined;
}

export interface ResolvedAnthropicOptions {
  readonly id: string;
  readonly origin: string;
  /** Full request path, e.g. `/v1/messages`. */
  readonly messagesPath: string;
  readonly anthropicVersion: string;
  readonly defaultMaxTokens: number;
  readonly headersTimeoutMs: number;
  readonly bodyTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly streamTimeoutMs: number;
  readonly maxResponseBytes: number;
  readonly maxStreamLineBytes: number;
}

/** Defaults of the optional settings of AnthropicProviderOptions (ms, bytes and tokens, as named). */
export const ANTHROPIC_DEFAULTS = Object.freeze({
  id: "anthropic",
  baseUrl: "https://api.anthropic.com",
  anthropicVersion: "2023-06-01",
  defaultMaxTokens: 4096,
  headersTimeoutMs: 60_000,
  bodyTimeoutMs: 60_000,
  requestTimeoutMs: 600_000,
  streamTimeoutMs: 600_000,
  maxResponseBytes: 16 * 1024 * 1024,
  maxStreamLineBytes: 1024 * 1024,
});

const HEADER_TOKEN = /^[\x21-\x7e]+$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HEADER_VALUE = /^[\t\x20-\x7e]*$/;
/** Headers the adapter owns; a caller setting them would bypass or leak the key handling. */
const RESERVED_HEADERS = new Set(["x-api-key", "authorization", "anthropic-version"]);

/** Validates the options and fills in defaults. */
export function resolveAnthropicOptions(options: AnthropicProviderOptions): ResolvedAnthropicOptions {
  const id = options.id ?? ANTHROPIC_DEFAULTS.id;
  if (typeof id !== "string" || id.length === 0 || id.length > 64) {
    throw new TypeError("provider option id must be a string of 1-64 characters");
  }
  if (typeof options.apiKey !== "string" || !HEADER_TOKEN.test(options.apiKey)) {
    throw new TypeError(`provider "${id}": apiKey is required and must be printable ASCII without spaces`);
  }
  const anthropicVersion = options.anthropicVersion ?? ANTHROPIC_DEFAULTS.anthropicVersion;
  if (!HEADER_TOKEN.test(anthropicVersion)) {
    throw new TypeError(`provider "${id}": anthropicVersion must be printable ASCII without spaces`);
  }
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (RESERVED_HEADERS.has(name.toLowerCase())) {
      throw new TypeError(`provider "${id}": header ${name.toLowerCase()} is set by the adapter, not by headers`);
    }
    if (!HEADER_NAME.test(name) || !HEADER_VALUE.test(value)) {
      throw new TypeError(`provider "${id}": header ${JSON.stringify(name.slice(0, 64))} is not a valid header`);
    }
  }
  const url = parseBaseUrl(id, options.baseUrl ?? ANTHROPIC_DEFAULTS.baseUrl);
  const limits = {
    defaultMaxTokens: options.defaultMaxTokens ?? ANTHROPIC_DEFAULTS.defaultMaxTokens,
    headersTimeoutMs: options.headersTimeoutMs ?? ANTHROPIC_DEFAULTS.headersTimeoutMs,
    bodyTimeoutMs: options.bodyTimeoutMs ?? ANTHROPIC_DEFAULTS.bodyTimeoutMs,
    requestTimeoutMs: options.requestTimeoutMs ?? ANTHROPIC_DEFAULTS.requestTimeoutMs,
    streamTimeoutMs: options.streamTimeoutMs ?? ANTHROPIC_DEFAULTS.streamTimeoutMs,
    maxResponseBytes: options.maxResponseBytes ?? ANTHROPIC_DEFAULTS.maxResponseBytes,
    maxStreamLineBytes: options.maxStreamLineBytes ?? ANTHROPIC_DEFAULTS.maxStreamLineBytes,
  };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new RangeError(`provider "${id}": ${name} must be a positive integer, got ${String(value)}`);
    }
  }
  const prefix = url.pathname.replace(/\/+$/, "");
  return { id, origin: url.origin, messagesPath: `${prefix}/v1/messages`, anthropicVersion, ...limits };
}

function parseBaseUrl(id: string, baseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError(`provider "${id}": baseUrl is not a valid URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TypeError(`provider "${id}": baseUrl must be http or https`);
  }
  if (url.username !== "" || url.password !== "" || url.search !== "" || url.hash !== "") {
    throw new TypeError(`provider "${id}": baseUrl must not contain credentials, a query or a fragment`);
  }
  return url;
}
