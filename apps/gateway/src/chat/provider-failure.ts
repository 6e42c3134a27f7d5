import { AppError } from "@modelfaucet/core";
import { isProviderError } from "@modelfaucet/providers";

/** An upstream failure as the client sees it: `provider_error` 502, with the upstream's Retry-After when it gave one. */
export function providerFailure(error: unknown): AppError {
  // An adapter refusing the caller's input before any upstream call (e.g. a part Gemini cannot take).
  if (error instanceof AppError) return error;
  if (!isProviderError(error)) return new AppError("provider_error", "The upstream provider failed.", { cause: error });
  const what = error.status ? `answered ${error.status}` : error.kind.replace(/_/g, " ");
  return new AppError("provider_error", `Upstream provider "${error.providerId}" ${what}.`, {
    retryable: error.retryable,
    ...(error.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: error.retryAfterSeconds }),
    cause: error,
  });
}
