import type { UpstreamPools } from "../http/upstream-pools.js";

/** Settings of one OpenAI-compatible upstream. Every limit has a default; invalid values fail at construction. */
export interface OpenAICompatibleProviderOptions {
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
  /**
   * Most time from sending to the response headers (for a stream: to its first byte), ms. Default 60 000.
   * undici checks this and `bodyTimeoutMs` on a ~1 s tick, so they fire up to a second late.
   */
  readonly headersTimeoutMs?: number | undefined;
  /** Most idle time between two body chunks, ms. Default 60 000. */
  readonly bodyTimeoutMs?: number | undefined;
  /** Most time a non-streaming call may take, end to end, ms. Default 120 000. */
  readonly requestTimeoutMs?: number | undefined;
  /** Most time a stream may last, end to end, ms. Default 600 000. */
  readonly streamTimeoutMs?: number | undefined;
  /** Largest non-streaming response body accepted, bytes. Default 16 MiB. */
  readonly maxResponseBytes?: number | undefined;
  /** Longest SSE line accepted in a stream, bytes. Default 1 MiB. */
  readonly maxStreamLineBytes?: number | undefined;
}

export interface ResolvedOpenAICompatibleOptions {
  readonly id: string;
  readonly origin: string;
  /** Path prefix of the base URL without trailing slash, e.g. `/v1`. */
  readonly basePath: string;
  readonly headersTimeoutMs: number;
  readonly bodyTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly streamTimeoutMs: number;
  readonly maxResponseBytes: number;
  readonly maxStreamLineBytes: number;
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

const HEADER_TOKEN = /^[\x21-\x7e]+$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HEADER_VALUE = /^[\t\x20-\x7e]*$/;

/** Validates the options; throws a TypeError / RangeError naming the bad option (never echoing the key). */
export function resolveOpenAICompatibleOptions(
  options: OpenAICompatibleProviderOptions,
): ResolvedOpenAICompatibleOptions {
  if (typeof options.id !== "string" || options.id.length === 0 || options.id.length > 64) {
    throw new TypeError("provider option id must be a string of 1-64 characters");
  }
  if (options.apiKey !== undefined && !HEADER_TOKEN.test(options.apiKey)) {
    throw new TypeError(`provider "${options.id}": apiKey must be printable ASCII without spaces`);
  }
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (name.toLowerCase() === "authorization") {
      throw new TypeError(`provider "${options.id}": pass the key as apiKey, not as an authorization header`);
    }
    if (!HEADER_NAME.test(name) || !HEADER_VALUE.test(value)) {
      throw new TypeError(
        `provider "${options.id}": header ${JSON.stringify(name.slice(0, 64))} is not a valid header`,
      );
    }
  }
  const url = parseBaseUrl(options.id, options.baseUrl);
  const limits = {
    headersTimeoutMs: options.headersTimeoutMs ?? OPENAI_COMPATIBLE_DEFAULTS.headersTimeoutMs,
    bodyTimeoutMs: options.bodyTimeoutMs ?? OPENAI_COMPATIBLE_DEFAULTS.bodyTimeoutMs,
    requestTimeoutMs: options.requestTimeoutMs ?? OPENAI_COMPATIBLE_DEFAULTS.requestTimeoutMs,
    streamTimeoutMs: options.streamTimeoutMs ?? OPENAI_COMPATIBLE_DEFAULTS.streamTimeoutMs,
    maxResponseBytes: options.maxResponseBytes ?? OPENAI_COMPATIBLE_DEFAULTS.maxResponseBytes,
    maxStreamLineBytes: options.maxStreamLineBytes ?? OPENAI_COMPATIBLE_DEFAULTS.maxStreamLineBytes,
  };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new RangeError(`provider "${options.id}": ${name} must be a positive integer, got ${String(value)}`);
    }
  }
  return { id: options.id, origin: url.origin, basePath: url.pathname.replace(/\/+$/, ""), ...limits };
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
