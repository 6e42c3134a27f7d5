import { AppError } from "@modelfaucet/core";
import { ProviderError } from "../errors/provider-error.js";
import { RequestEncodingError } from "../errors/request-encoding-error.js";
import type { UpstreamCall } from "./upstream-call.js";

const TIMEOUT_CODES = new Set([
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "ETIMEDOUT",
]);

/** Network failures where the same request may well succeed on a new connection. */
const TRANSIENT_CODES = new Set([
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "UND_ERR_RES_CONTENT_LENGTH_MISMATCH",
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
  "EADDRNOTAVAIL",
]);

/** Our own mistakes (bad arguments): these are bugs, not provider failures, and are rethrown as they are. */
const PROGRAMMING_CODES = new Set(["UND_ERR_INVALID_ARG", "UND_ERR_NOT_SUPPORTED", "UND_ERR_INVALID_RETURN_VALUE"]);

/**
 * Classifies an error thrown while sending a request or reading its body.
 * The abort cause recorded on the call wins (our deadline vs the caller's
 * signal), then the error code. Programming errors, and a request refused
 * before sending (the caller's input, or a body we could not encode), are
 * rethrown unchanged: no upstream was at fault.
 */
export function transportError(providerId: string, error: unknown, call: UpstreamCall): ProviderError {
  if (error instanceof ProviderError) return error;
  if (error instanceof AppError || error instanceof RequestEncodingError) throw error;
  const cause = call.cause;
  if (cause === "caller" || cause === "consumer") {
    return new ProviderError(providerId, "aborted", `Upstream "${providerId}" call aborted by the caller.`, {
      retryable: false,
      cause: error,
    });
  }
  if (cause === "timeout") {
    return new ProviderError(providerId, "timeout", `Upstream "${providerId}" call exceeded its deadline.`, {
      retryable: true,
      cause: error,
    });
  }
  const code = errorCode(error);
  if (code !== undefined && PROGRAMMING_CODES.has(code)) throw error;
  if (code !== undefined && TIMEOUT_CODES.has(code)) {
    return new ProviderError(providerId, "timeout", `Upstream "${providerId}" timed out (${code}).`, {
      retryable: true,
      cause: error,
    });
  }
  if (code === "UND_ERR_ABORTED" || isAbortError(error)) {
    return new ProviderError(providerId, "aborted", `Upstream "${providerId}" call aborted.`, {
      retryable: false,
      cause: error,
    });
  }
  const label = code ?? "unknown";
  return new ProviderError(providerId, "connection", `Upstream "${providerId}" connection failed (${label}).`, {
    retryable: code !== undefined && TRANSIENT_CODES.has(code),
    cause: error,
  });
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" && code.length <= 64 ? code : undefined;
}

function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === "AbortError";
}
