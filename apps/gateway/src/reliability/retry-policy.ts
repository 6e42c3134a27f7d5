import { AppError } from "@modelfaucet/core";
import { isProviderError, isUrlGuardError } from "@modelfaucet/providers";

/** How often and how patiently one route is retried. */
export interface RetryOptions {
  /** Most calls to one route for one request, the first included. 1 = no retries. 1–10. */
  maxAttempts: number;
  /** Backoff before the first retry, ms; doubled each retry (full jitter applied). */
  baseDelayMs: number;
  /** Longest backoff between two attempts, ms. */
  maxDelayMs: number;
  /** Longest upstream `Retry-After` honoured, seconds; a longer one ends the retries on that route. */
  maxRetryAfterSeconds: number;
}

export const DEFAULT_RETRY_OPTIONS: Readonly<RetryOptions> = Object.freeze({
  maxAttempts: 3,
  baseDelayMs: 100,
  maxDelayMs: 2000,
  maxRetryAfterSeconds: 10,
});

export function resolveRetryOptions(options: Partial<RetryOptions> = {}): RetryOptions {
  const merged = { ...DEFAULT_RETRY_OPTIONS, ...options };
  const limits: Record<keyof RetryOptions, [number, number]> = {
    maxAttempts: [1, 10],
    baseDelayMs: [0, 60_000],
    maxDelayMs: [0, 60_000],
    maxRetryAfterSeconds: [0, 600],
  };
  for (const [name, [min, max]] of Object.entries(limits)) {
    const value = merged[name as keyof RetryOptions];
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      throw new RangeError(`retry option ${name} must be an integer in [${min}, ${max}], got ${String(value)}`);
    }
  }
  return merged;
}

/**
 * Bounded labels for one upstream attempt's outcome (metrics and the usage
 * event's `attempts`). `circuit_open`: refused by the breaker, upstream not called;
 * `url_blocked`: the URL guard refused the connection (never retried, never a fallback);
 * `rejected_input`: the caller's input refused before sending (400);
 * `internal_error`: our own failure to build or encode the request (a bug, 500
 * for that caller) — like `rejected_input`, it says nothing about the upstream.
 */
export type AttemptOutcome =
  | "success"
  | "http_429"
  | "http_5xx"
  | "http_4xx"
  | "connection"
  | "timeout"
  | "aborted"
  | "invalid_response"
  | "stream_error"
  | "circuit_open"
  | "unusable_credential"
  | "url_blocked"
  | "rejected_input"
  | "internal_error";

export const ATTEMPT_OUTCOMES: readonly AttemptOutcome[] = [
  "success",
  "http_429",
  "http_5xx",
  "http_4xx",
  "connection",
  "timeout",
  "aborted",
  "invalid_response",
  "stream_error",
  "circuit_open",
  "unusable_credential",
  "url_blocked",
  "rejected_input",
  "internal_error",
];

/**
 * The outcome label of a failed call. Adapters report every upstream fault
 * as a ProviderError; anything else thrown is ours, whatever it looks like
 * (a RangeError from encoding a body is not a connection failure).
 */
export function classifyFailure(error: unknown): AttemptOutcome {
  if (error instanceof AppError) return "rejected_input";
  if (!isProviderError(error)) return "internal_error";
  if (isUrlGuardError(error.cause)) return "url_blocked";
  switch (error.kind) {
    case "http": {
      const status = error.status ?? 0;
      if (status === 429) return "http_429";
      return status >= 500 ? "http_5xx" : "http_4xx";
    }
    case "connection":
    case "timeout":
    case "aborted":
    case "invalid_response":
      return error.kind;
    default:
      return "stream_error";
  }
}

/**
 * Retries are for transient connection errors (refused, reset, DNS — what the
 * adapter marks retryable), 429 and 5xx only: the rest would fail again, or
 * already spent the request's time.
 */
export function isRetryable(outcome: AttemptOutcome, error: unknown): boolean {
  if (outcome === "connection") return isProviderError(error) && error.retryable;
  return outcome === "http_429" || outcome === "http_5xx";
}

/** Failures that say the upstream (or credential) is unhealthy: they count toward its breaker. */
export function countsAgainstBreaker(outcome: AttemptOutcome): boolean {
  return outcome === "connection" || outcome === "http_429" || outcome === "http_5xx" || outcome === "timeout";
}

/**
 * Failures another route may recover from: anything upstream did wrong, but
 * not the caller's input (`rejected_input`, upstream 400/404/413/422), not a
 * client that went away (`aborted`).
 */
export function allowsFallback(outcome: AttemptOutcome, status: number | undefined): boolean {
  if (outcome === "rejected_input" || outcome === "aborted" || outcome === "url_blocked") return false;
  if (outcome === "http_4xx") return status === 401 || status === 403 || status === 408 || status === 409;
  return true;
}

/**
 * The wait before retry number `retry` (1 = the first retry), ms, or
 * undefined when the upstream asked for longer than we wait. An upstream
 * `Retry-After` is honoured exactly (capped); otherwise exponential backoff
 * with full jitter: uniform in [0, min(maxDelay, base × 2^(retry-1))].
 */
export function retryDelayMs(
  options: RetryOptions,
  retry: number,
  retryAfterSeconds: number | undefined,
  random: () => number = Math.random,
): number | undefined {
  if (retryAfterSeconds !== undefined) {
    return retryAfterSeconds > options.maxRetryAfterSeconds ? undefined : retryAfterSeconds * 1000;
  }
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (retry - 1));
  return Math.floor(random() * ceiling);
}

/** Resolves after `ms`, or rejects with the signal's reason when it fires first. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
