import { MAX_PROVIDER_ERROR_BODY_CHARS, ProviderError } from "../errors/provider-error.js";
import type { HeaderMap } from "../http/header-map.js";
import { MAX_RETRY_AFTER_SECONDS, parseRetryAfter } from "../http/parse-retry-after.js";
import { isRecord } from "./is-record.js";

/** Longest `error.status` / ErrorInfo `reason` kept, in characters. */
const MAX_UPSTREAM_CODE_CHARS = 100;
const RETRY_INFO = "type.googleapis.com/google.rpc.RetryInfo";
const ERROR_INFO = "type.googleapis.com/google.rpc.ErrorInfo";

export interface GeminiErrorResponse {
  readonly statusCode: number;
  readonly headers: HeaderMap;
  /** Body text read so far (bounded, possibly cut), not yet redacted. */
  readonly bodyText: string;
}

/**
 * A non-2xx answer → ProviderError. Google's error body
 * `{error: {code, message, status, details[]}}` gives `upstreamCode` (the
 * canonical status, e.g. `RESOURCE_EXHAUSTED`), `upstreamType` (the
 * ErrorInfo `reason`, e.g. `API_KEY_INVALID`) and, for 429, the wait from
 * RetryInfo `retryDelay` (Gemini sends no Retry-After header; a header wins
 * if one comes). 408, 409, 429 and 5xx are retryable; 400 INVALID_ARGUMENT,
 * 403 PERMISSION_DENIED, 404 are not. The message is ours; the body is kept
 * redacted in `rawBody` for logs.
 * https://ai.google.dev/gemini-api/docs/troubleshooting#error-codes
 */
export function geminiErrorFromResponse(
  providerId: string,
  response: GeminiErrorResponse,
  redact: (text: string) => string,
): ProviderError {
  const status = response.statusCode;
  const fields = errorFields(parseJson(response.bodyText), redact);
  return new ProviderError(providerId, "http", `Upstream "${providerId}" returned HTTP ${status}.`, {
    status,
    retryable: status === 408 || status === 409 || status === 429 || status >= 500,
    retryAfterSeconds: parseRetryAfter(response.headers) ?? fields.retryDelaySeconds,
    upstreamCode: fields.code,
    upstreamType: fields.type,
    rawBody: redact(response.bodyText).slice(0, MAX_PROVIDER_ERROR_BODY_CHARS),
  });
}

/** An error object inside an otherwise 2xx stream (`data: {"error": …}`). */
export function geminiStreamError(
  providerId: string,
  payload: unknown,
  rawData: string,
  redact: (text: string) => string,
  retryable: boolean,
): ProviderError {
  const fields = errorFields(payload, redact);
  return new ProviderError(providerId, "stream_error", `Upstream "${providerId}" reported an error mid-stream.`, {
    retryable,
    retryAfterSeconds: fields.retryDelaySeconds,
    upstreamCode: fields.code,
    upstreamType: fields.type,
    rawBody: redact(rawData).slice(0, MAX_PROVIDER_ERROR_BODY_CHARS),
  });
}

/**
 * A protobuf Duration as JSON (`"37s"`, `"45.837906927s"`) → whole seconds,
 * rounded up; undefined when malformed or above MAX_RETRY_AFTER_SECONDS.
 */
export function parseRetryDelay(value: unknown): number | undefined {
  if (typeof value !== "string" || !/^\d{1,12}(\.\d{1,9})?s$/.test(value)) return undefined;
  const seconds = Math.ceil(Number(value.slice(0, -1)));
  return seconds <= MAX_RETRY_AFTER_SECONDS ? seconds : undefined;
}

interface ErrorFields {
  code?: string;
  type?: string;
  retryDelaySeconds?: number;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

// Upstream-chosen labels, so redacted like the body. A streamed error may come wrapped in an array.
function errorFields(body: unknown, redact: (text: string) => string): ErrorFields {
  const envelope = Array.isArray(body) ? (body[0] as unknown) : body;
  const error = isRecord(envelope) ? envelope.error : undefined;
  if (!isRecord(error)) return {};
  const fields: ErrorFields = {};
  const code = boundedLabel(error.status, redact);
  if (code !== undefined) fields.code = code;
  for (const detail of Array.isArray(error.details) ? error.details : []) {
    if (!isRecord(detail)) continue;
    if (detail["@type"] === ERROR_INFO) {
      const reason = boundedLabel(detail.reason, redact);
      if (reason !== undefined) fields.type = reason;
    }
    if (detail["@type"] === RETRY_INFO) {
      const delay = parseRetryDelay(detail.retryDelay);
      if (delay !== undefined) fields.retryDelaySeconds = delay;
    }
  }
  return fields;
}

function boundedLabel(value: unknown, redact: (text: string) => string): string | undefined {
  return typeof value === "string" && value.length > 0 ? redact(value).slice(0, MAX_UPSTREAM_CODE_CHARS) : undefined;
}
