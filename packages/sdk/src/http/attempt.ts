import { errorFromResponse, networkError } from "../errors/error-from-response.js";
import type { FaucetError } from "../errors/faucet-error.js";
import { retryAfterMs } from "../errors/retry-after.js";
import { retryDelayMs, sleep } from "./retry-policy.js";

/** One request's outcome: the successful answer (body unread), or the typed failure and the wait its server asked for. */
export type Attempt =
  | { response: Response; error?: undefined }
  | { response?: undefined; error: FaucetError; retryAfterMs: number | undefined };

/** Sends one request. An abort is thrown as the signal's reason, never turned into a FaucetError. */
export async function attempt(
  fetchImpl: typeof fetch,
  url: string,
  init: RequestInit,
  requestId: string,
): Promise<Attempt> {
  try {
    const response = await fetchImpl(url, init);
    if (response.ok) return { response };
    return { error: await errorFromResponse(response), retryAfterMs: retryAfterMs(response.headers) };
  } catch (cause) {
    if (init.signal?.aborted) throw init.signal.reason;
    return { error: networkError(cause, requestId), retryAfterMs: undefined };
  }
}

/** Runs `once` until it succeeds or retryDelayMs says stop; the last failure is thrown. */
export async function withRetries(
  once: () => Promise<Attempt>,
  { signal, idempotent, maxRetries }: { signal: AbortSignal | undefined; idempotent: boolean; maxRetries: number },
): Promise<Response> {
  for (let retries = 0; ; retries += 1) {
    signal?.throwIfAborted();
    const outcome = await once();
    if (outcome.response) return outcome.response;
    const wait = retryDelayMs(outcome.error, retries, { idempotent, maxRetries, retryAfterMs: outcome.retryAfterMs });
    if (wait === undefined) throw outcome.error;
    await sleep(wait, signal);
  }
}
