/**
 * What went wrong with an upstream call:
 * - `http`: the upstream answered with a non-2xx status (see `status`);
 * - `connection`: no usable connection (refused, reset, DNS, TLS, socket closed before headers);
 * - `timeout`: connect, headers, body-idle or overall deadline passed;
 * - `aborted`: the caller's signal fired; nothing to retry;
 * - `invalid_response`: a 2xx the adapter could not use (not JSON, wrong shape, too large, not SSE);
 * - `stream_interrupted`: a stream stopped before its end (socket closed, no `[DONE]`);
 * - `stream_error`: the upstream reported an error inside a stream.
 */
export type ProviderErrorKind =
  "http" | "connection" | "timeout" | "aborted" | "invalid_response" | "stream_interrupted" | "stream_error";

/** Longest upstream body kept on an error, in characters. */
export const MAX_PROVIDER_ERROR_BODY_CHARS = 8192;

/** Fields of a ProviderError besides its provider, kind and message; see ProviderError for their meaning. */
export interface ProviderErrorOptions {
  /** Upstream HTTP status, when one was received. */
  status?: number | undefined;
  retryable: boolean;
  retryAfterSeconds?: number | undefined;
  /** Upstream's machine-readable error code / type (`error.code`, `error.type`), bounded. */
  upstreamCode?: string | undefined;
  upstreamType?: string | undefined;
  upstreamRequestId?: string | undefined;
  /** Upstream body, already redacted by the adapter; truncated here. */
  rawBody?: string | undefined;
  cause?: unknown;
}

/**
 * A failed upstream call. A provider error, not an operating error: the
 * gateway decides what the client sees (fall back, `provider_error` 502,
 * `rate_limited`). The message is written by us and never contains upstream
 * text; the upstream body is kept in `rawBody` for redacted logs only, with
 * the API key removed. The API key appears nowhere on this object.
 */
export class ProviderError extends Error {
  readonly kind: ProviderErrorKind;
  /** Id of the provider that failed (e.g. `openai`). */
  readonly providerId: string;
  /** Upstream HTTP status; undefined when no response was received. */
  readonly status: number | undefined;
  /** Whether the same request may succeed if sent again unchanged (connection errors, timeouts, 408/409/429/5xx, a stream cut before its first chunk). */
  readonly retryable: boolean;
  /** Seconds the upstream asked us to wait (`retry-after-ms` / `Retry-After`), whole seconds rounded up. */
  readonly retryAfterSeconds: number | undefined;
  readonly upstreamCode: string | undefined;
  readonly upstreamType: string | undefined;
  readonly upstreamRequestId: string | undefined;
  /** Upstream body for logs: at most MAX_PROVIDER_ERROR_BODY_CHARS characters, key redacted. Never send it to a client. */
  readonly rawBody: string | undefined;

  constructor(providerId: string, kind: ProviderErrorKind, message: string, options: ProviderErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ProviderError";
    this.providerId = providerId;
    this.kind = kind;
    this.status = options.status;
    this.retryable = options.retryable;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.upstreamCode = options.upstreamCode;
    this.upstreamType = options.upstreamType;
    this.upstreamRequestId = options.upstreamRequestId;
    this.rawBody = options.rawBody?.slice(0, MAX_PROVIDER_ERROR_BODY_CHARS);
  }
}

/** Whether `value` is a ProviderError (a failed upstream call). */
export function isProviderError(value: unknown): value is ProviderError {
  return value instanceof ProviderError;
}
