import type { HeaderMap } from "../http/header-map.js";
import { MAX_PROVIDER_ERROR_BODY_CHARS, ProviderError } from "../errors/provider-error.js";
import { parseRetryAfter } from "../http/parse-retry-after.js";

/** Longest `error.code` / `error.type` kept, in characters. */
const MAX_UPSTREAM_CODE_CHARS = 100;

export interface UpstreamErrorResponse {
  readonly statusCode: number;
  readonly headers: HeaderMap;
  /** Body text read so far (bounded, possibly cut), not yet redacted. */
  readonly bodyText: string;
}

/**
 * A non-2xx answer → ProviderError. The OpenAI error shape
 * `{error: {message, type, param, code}}` is parsed for `code` and `type`
 * (https://platform.openai.com/docs/guides/error-codes); the message is
 * ours. 408, 409, 429 and 5xx are retryable, as in OpenAI's own clients.
 */
export function openAIErrorFromResponse(
  providerId: string,
  response: UpstreamErrorResponse,
  redact: (text: string) => string,
): ProviderError {
  const status = response.statusCode;
  const parsed = parseOpenAIErrorBody(response.bodyText, redact);
  return new ProviderError(providerId, "http", `Upstream "${providerId}" returned HTTP ${status}.`, {
    status,
    retryable: status === 408 || status === 409 || status === 429 || status >= 500,
    retryAfterSeconds: parseRetryAfter(response.headers),
    upstreamCode: parsed.code,
    upstreamType: parsed.type,
    upstreamRequestId: upstreamRequestId(response.headers),
    rawBody: redact(response.bodyText).slice(0, MAX_PROVIDER_ERROR_BODY_CHARS),
  });
}

/** An error object inside an otherwise 2xx stream (`data: {"error": …}`). */
export function openAIStreamError(
  providerId: string,
  payload: unknown,
  rawData: string,
  redact: (text: string) => string,
  retryable: boolean,
): ProviderError {
  const parsed = isObject(payload) ? errorFields(payload.error, redact) : {};
  return new ProviderError(providerId, "stream_error", `Upstream "${providerId}" reported an error mid-stream.`, {
    retryable,
    upstreamCode: parsed.code,
    upstreamType: parsed.type,
    rawBody: redact(rawData).slice(0, MAX_PROVIDER_ERROR_BODY_CHARS),
  });
}

/** The upstream's own request id (`x-request-id`), bounded; for support tickets. */
export function upstreamRequestId(headers: HeaderMap): string | undefined {
  const value = headers["x-request-id"];
  const id = Array.isArray(value) ? value[0] : value;
  return id !== undefined && id.length > 0 && id.length <= 200 ? id : undefined;
}

interface ErrorFields {
  code?: string;
  type?: string;
}

function parseOpenAIErrorBody(text: string, redact: (text: string) => string): ErrorFields {
  try {
    const body: unknown = JSON.parse(text);
    return isObject(body) ? errorFields(body.error, redact) : {};
  } catch {
    return {};
  }
}

// Upstream-chosen labels, so redacted like the body.
function errorFields(error: unknown, redact: (text: string) => string): ErrorFields {
  if (!isObject(error)) return {};
  const fields: ErrorFields = {};
  const code = boundedLabel(error.code, redact);
  const type = boundedLabel(error.type, redact);
  if (code !== undefined) fields.code = code;
  if (type !== undefined) fields.type = type;
  return fields;
}

function boundedLabel(value: unknown, redact: (text: string) => string): string | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return typeof value === "string" && value.length > 0 ? redact(value).slice(0, MAX_UPSTREAM_CODE_CHARS) : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
