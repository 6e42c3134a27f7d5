/**
 * Time and size limits every chat adapter puts on one upstream. Each adapter
 * names its defaults in its `*_DEFAULTS` object; every value must be a
 * positive safe integer.
 */
export interface UpstreamLimitOptions {
  /**
   * Most time from sending to the response headers (for a stream: to its first byte), ms.
   * undici checks this and `bodyTimeoutMs` on a ~1 s tick, so they fire up to a second late.
   */
  readonly headersTimeoutMs?: number | undefined;
  /** Most idle time between two body chunks, ms. */
  readonly bodyTimeoutMs?: number | undefined;
  /** Most time a non-streaming call may take, end to end, ms. */
  readonly requestTimeoutMs?: number | undefined;
  /** Most time a stream may last, end to end, ms. */
  readonly streamTimeoutMs?: number | undefined;
  /** Largest non-streaming response body accepted, bytes. */
  readonly maxResponseBytes?: number | undefined;
  /** Longest SSE line accepted in a stream, bytes. */
  readonly maxStreamLineBytes?: number | undefined;
}

/** UpstreamLimitOptions with every default filled in (ms and bytes, as named). */
export type ResolvedUpstreamLimits = { readonly [K in keyof UpstreamLimitOptions]-?: number };
