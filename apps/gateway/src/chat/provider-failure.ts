import { AppError } from "@modelfaucet/core";
import { isProviderError, type ProviderErrorKind } from "@modelfaucet/providers";

// What went wrong, completing "The upstream provider "x" …" into a sentence.
const WHAT_FAILED: Record<ProviderErrorKind, string> = {
  http: "answered with an error",
  connection: "could not be reached",
  timeout: "did not answer in time",
  aborted: "did not finish: the call was aborted",
  invalid_response: "sent an answer that could not be read",
  stream_interrupted: "cut its stream off",
  stream_error: "sent an error in its stream",
};

/** An upstream failure as the client sees it: `provider_error` 502, with the upstream's Retry-After when it gave one. */
export function providerFailure(error: unknown): AppError {
  // An adapter refusing the caller's input before any upstream call (e.g. a part Gemini cannot take).
  if (error instanceof AppError) return error;
  if (!isProviderError(error)) return new AppError("provider_error", "The upstream provider failed.", { cause: error });
  const what = error.status ? `answered HTTP ${error.status}` : WHAT_FAILED[error.kind];
  return new AppError("provider_error", `The upstream provider "${error.providerId}" ${what}.`, {
    retryable: error.retryable,
    ...(error.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: error.retryAfterSeconds }),
    cause: error,
  });
}
