import type { FaucetError } from "../errors/faucet-error.js";

/** Retries after the first attempt, at most (and by default). */
export const MAX_RETRIES = 2;
/** The longest `Retry-After` the SDK waits out; a longer one is the caller's to handle (the error says how long). */
export const MAX_RETRY_AFTER_MS = 60_000;
const BACKOFF_BASE_MS = 500;

/**
 * How long to wait before retry number `attempt` (0-based) after `error`, or
 * undefined when it must not be retried: not retryable, `maxRetries` spent,
 * or the server asked for a wait beyond MAX_RETRY_AFTER_MS. A network failure
 * is retried only for a request that cannot have changed anything (`idempotent`):
 * a POST that got no answer may have been served and billed.
 */
export function retryDelayMs(
  error: FaucetError,
  attempt: number,
  {
    idempotent,
    retryAfterMs,
    maxRetries,
  }: { idempotent: boolean; retryAfterMs: number | undefined; maxRetries: number },
): number | undefined {
  if (!error.retryable || attempt >= maxRetries) return undefined;
  if (error.code === "network_error" && !idempotent) return undefined;
  if (retryAfterMs !== undefined) return retryAfterMs <= MAX_RETRY_AFTER_MS ? retryAfterMs : undefined;
  // Exponential backoff with jitter, so clients that failed together do not retry together.
  return BACKOFF_BASE_MS * 2 ** attempt * (0.5 + Math.random() / 2);
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
