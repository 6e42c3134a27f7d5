import type { UpstreamPools } from "../http/upstream-pools.js";
import type { GeminiWarning } from "./gemini-warning.js";

/** Where Gemini is served by default (Google AI Studio keys). */
export const GEMINI_DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com";

/** Settings of one Gemini upstream. Every limit has a default; invalid values fail at construction. */
export interface GeminiProviderOptions {
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
  /**
   * Most time from sending to the response headers, ms. Default 120 000: a
   * non-streaming Gemini call only answers once the whole reply (thinking
   * included) is generated, and a stream's first event comes after thinking.
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
  /**
   * Called once per call whose request had settings Gemini cannot honour,
   * before it is sent, with the gateway's request id (for logs). Must not throw.
   */
  readonly onWarnings?: ((warnings: readonly GeminiWarning[], requestId: string) => void) | undefined;
}

export interface ResolvedGeminiOptions {
  readonly id: string;
  readonly origin: string;
  /** Path prefix of the base URL without trailing slash; usually "". */
  readonly basePath: string;
  readonly headersTimeoutMs: number;
  readonly bodyTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly streamTimeoutMs: number;
  readonly maxResponseBytes: number;
  readonly maxStreamLineBytes: number;
}

/** Defaults of the optional limits of GeminiProviderOptions (ms and bytes, as named). */
export const GEMINI_DEFAULTS = Object.freeze({
  headersTimeoutMs: 120_000,
  bodyTimeoutMs: 60_000,
  requestTimeoutMs: 120_000,
  streamTimeoutMs: 600_000,
  maxResponseBytes: 16 * 1024 * 1024,
  maxStreamLineBytes: 1024 * 1024,
});

const HEADER_TOKEN = /^[\x21-\x7e]+$/;

/** Validates the options; throws a TypeError / RangeError naming the bad option (never echoing the key). */
export function resolveGeminiOptions(options: GeminiProviderOptions): ResolvedGeminiOptions {
  const id = options.id ?? "gemini";
  if (typeof id !== "string" || id.length === 0 || id.length > 64) {
    throw new TypeError("provider option id must be a string of 1-64 characters");
  }
  if (typeof options.apiKey !== "string" || !HEADER_TOKEN.test(options.apiKey)) {
    throw new TypeError(`provider "${id}": apiKey is required and must be printable ASCII without spaces`);
  }
  const url = parseBaseUrl(id, options.baseUrl ?? GEMINI_DEFAULT_BASE_URL);
  const limits = {
    headersTimeoutMs: options.headersTimeoutMs ?? GEMINI_DEFAULTS.headersTimeoutMs,
    bodyTimeoutMs: options.bodyTimeoutMs ?? GEMINI_DEFAULTS.bodyTimeoutMs,
    requestTimeoutMs: options.requestTimeoutMs ?? GEMINI_DEFAULTS.requestTimeoutMs,
    streamTimeoutMs: options.streamTimeoutMs ?? GEMINI_DEFAULTS.streamTimeoutMs,
    maxResponseBytes: options.maxResponseBytes ?? GEMINI_DEFAULTS.maxResponseBytes,
    maxStreamLineBytes: options.maxStreamLineBytes ?? GEMINI_DEFAULTS.maxStreamLineBytes,
  };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new RangeError(`provider "${id}": ${name} must be a positive integer, got ${String(value)}`);
    }
  }
  return { id, origin: url.origin, basePath: url.pathname.replace(/\/+$/, ""), ...limits };
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
