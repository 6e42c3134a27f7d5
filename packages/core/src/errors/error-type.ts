/**
 * OpenAI's `error.type`, the class of failure a client branches on before the
 * code (the `openai` client builds its typed errors from the status and keeps
 * `type`, `param` and `code`). Derived from the HTTP status, so a code sent
 * with another status than its default gets the status's type.
 */
export const ERROR_TYPES = [
  "invalid_request_error",
  "authentication_error",
  "insufficient_quota",
  "permission_error",
  "not_found_error",
  "rate_limit_error",
  "server_error",
] as const;

export type ErrorType = (typeof ERROR_TYPES)[number];

export function errorType(status: number): ErrorType {
  switch (status) {
    case 401:
      return "authentication_error";
    case 402:
      return "insufficient_quota";
    case 403:
      return "permission_error";
    case 404:
      return "not_found_error";
    case 429:
      return "rate_limit_error";
  }
  return status >= 500 ? "server_error" : "invalid_request_error";
}
