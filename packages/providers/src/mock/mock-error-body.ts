/** OpenAI's error body shape: https://platform.openai.com/docs/guides/error-codes */
export function mockErrorBody(message: string, type: string, code: string | null, param: string | null = null): string {
  return JSON.stringify({ error: { message, type, param, code } });
}

export const MOCK_SERVER_ERROR_BODY = mockErrorBody(
  "The server had an error while processing your request. Sorry about that!",
  "server_error",
  null,
);

export const MOCK_RATE_LIMIT_BODY = mockErrorBody(
  "Rate limit reached for requests (mock). Please try again later.",
  "requests",
  "rate_limit_exceeded",
);

export const MOCK_NOT_FOUND_BODY = mockErrorBody("Unknown request URL.", "invalid_request_error", "unknown_url");

export const MOCK_METHOD_NOT_ALLOWED_BODY = mockErrorBody(
  "Method not allowed for this URL.",
  "invalid_request_error",
  "method_not_allowed",
);

export const MOCK_TOO_LARGE_BODY = mockErrorBody("Request body too large.", "invalid_request_error", null);

/**
 * Like OpenAI, the 401 message quotes the key it was given — here in full,
 * so tests can check that adapters redact what an upstream echoes back.
 */
export function mockUnauthorizedBody(presented: string): string {
  return mockErrorBody(`Incorrect API key provided: ${presented}.`, "invalid_request_error", "invalid_api_key");
}
