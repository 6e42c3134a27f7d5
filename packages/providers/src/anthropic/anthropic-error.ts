import { MAX_PROVIDER_ERROR_BODY_CHARS, ProviderError } from "../errors/provider-error.js";
import type { HeaderMap } from "../http/header-map.js";
import { parseRetryAfter } from "../http/parse-retry-after.js";

/** Longest `error.type` kept, in characters. */
const MAX_ERROR_TYPE_CHARS = 100;

export interface AnthropicErrorResponse {
  readonly statusCode: number;
  readonly headers: HeaderMap;
  /** Body text read so far (bounded, possibly cut), not yet redacted. */
  readonly bodyText: string;
}

/**
 * A non-2xx answer → ProviderError. Anthropic's body is
 * `{type: "error", error: {type, message}, request_id?}`; `error.type`
 * (`rate_limit_error`, `overloaded_error`, `authentication_error`…) becomes
 * both `upstreamType` and `upstreamCode`, the message stays ours.
 * https://docs.anthropic.com/en/api/errors
 *
 * Retryable: 408, 409, 429, 5xx (529 `overloaded_error` included), unless
 * the upstream's `x-should-retry` header says otherwise, as Anthropic's own
 * SDKs honour it. 400, 401, 403, 404, 413 are not.
 */
export function anthropicErrorFromResponse(
  providerId: string,
  response: AnthropicErrorResponse,
  redact: (text: string) => string,
): ProviderError {
  const status = response.statusCode;
  const type = errorType(parseJson(response.bodyText), redact);
  return new ProviderError(providerId, "http", `Upstream "${providerId}" returned HTTP ${status}.`, {
    status,
    retryable: shouldRetry(response.headers) ?? (status === 408 || status === 409 || status === 429 || status >= 500),
    retryAfterSeconds: parseRetryAfter(response.headers),
    upstreamCode: type,
    upstreamType: type,
    upstreamRequestId: anthropicRequestId(response.headers),
    rawBody: redact(response.bodyText).slice(0, MAX_PROVIDER_ERROR_BODY_CHARS),
  });
}

/**
 * An `error` event inside a 2xx stream (`{type: "error", error: {type, message}}`).
 * Retryable only when nothing reached the consumer yet (the caller decides).
 * https://docs.anthropic.com/en/docs/build-with-claude/streaming#error-events
 */
export function anthropicStreamError(
  providerId: string,
  payload: unknown,
  rawData: string,
  redact: (text: string) => string,
  options: { readonly retryable: boolean; readonly upstreamRequestId: string | undefined },
): ProviderError {
  const type = errorType(payload, redact);
  return new ProviderError(providerId, "stream_error", `Upstream "${providerId}" reported an error mid-stream.`, {
    retryable: options.retryable,
    upstreamCode: type,
    upstreamType: type,
    upstreamRequestId: options.upstreamRequestId,
    rawBody: redact(rawData).slice(0, MAX_PROVIDER_ERROR_BODY_CHARS),
  });
}

/** Anthropic's request id (`request-id`, else `x-request-id`), bounded; for support tickets. */
export function anthropicRequestId(headers: HeaderMap): string | undefined {
  const id = firstValue(headers["request-id"]) ?? firstValue(headers["x-request-id"]);
  return id !== undefined && id.length > 0 && id.length <= 200 ? id : undefined;
}

function shouldRetry(headers: HeaderMap): boolean | undefined {
  const value = firstValue(headers["x-should-retry"]);
  if (value === "true") return true;
  if (value === "false") return false;
  return undefined;
}

// An upstream-chosen label, so redacted like the body.
function errorType(payload: unknown, redact: (text: string) => string): string | undefined {
  const error = isObject(payload) ? payload.error : undefined;
  const type = isObject(error) ? error.type : undefined;
  return typeof type === "string" && type.length > 0 ? redact(type).slice(0, MAX_ERROR_TYPE_CHARS) : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
