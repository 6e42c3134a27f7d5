import { AppError } from "@modelfaucet/core";
import { isProviderError, type ChatProvider } from "@modelfaucet/providers";
import type { Hold } from "../billing/billing.js";
import { providerFailure } from "../chat/provider-failure.js";
import type { RouteCandidate } from "../routing/route-candidates.js";
import type { CircuitBreakers } from "./circuit-breakers.js";
import {
  allowsFallback,
  classifyFailure,
  countsAgainstBreaker,
  isRetryable,
  retryDelayMs,
  sleep,
  type AttemptOutcome,
  type RetryOptions,
} from "./retry-policy.js";
import type { UpstreamMetrics } from "./upstream-metrics.js";

/** What the Gateway needs to call upstream reliably: breakers, retry limits, metrics. */
export interface Reliability {
  breakers: CircuitBreakers;
  retry: RetryOptions;
  metrics: UpstreamMetrics;
}

/**
 * One upstream call (or breaker refusal) as recorded on the usage event:
 * sanitized — a provider name, a stored key's id, never a key, URL or upstream body.
 */
export interface AttemptRecord {
  route_mode: RouteCandidate["routeMode"];
  provider: string;
  credential_id?: string;
  model: string;
  outcome: AttemptOutcome;
  status?: number;
  duration_ms: number;
  /** Wait before the next attempt on this route, when one followed. */
  retry_in_ms?: number;
}

export interface RouteRunInput<T> {
  candidates: RouteCandidate[];
  /** The provider's model name, for the attempts log. */
  upstreamModel: string;
  /** The request's deadline / client-gone signal: waits between attempts end with it. */
  signal: AbortSignal;
  /** The most a candidate's route can cost (its hold). */
  holdAmount(candidate: RouteCandidate): bigint;
  /**
   * Places the candidate's hold (the wallet's, and its key's budget's when it
   * has one); throws `insufficient_balance` or `budget_exceeded` (402)
   * without calling upstream.
   */
  hold(amountUnits: bigint, candidate: RouteCandidate): Promise<Hold>;
  release(hold: Hold): Promise<void>;
  /** The upstream call itself (resolves once upstream answered 2xx). */
  call(provider: ChatProvider): Promise<T>;
}

export interface RouteRun<T> {
  result: T;
  candidate: RouteCandidate;
  hold: Hold;
  attempts: AttemptRecord[];
}

class CircuitOpen extends Error {
  constructor(readonly retryAfterMs: number) {
    super("circuit open");
  }
}

class CredentialGone extends Error {
  constructor() {
    super("stored key revoked since routing");
  }
}

/**
 * Calls upstream on the first candidate route, retrying it on connection
 * errors, 429 (waiting the upstream's Retry-After, up to a cap) and 5xx with
 * exponential backoff and jitter; then, only when that route allows it and
 * the failure is the provider's, on the next candidate. Each route's hold is
 * placed before its first call, so a fallback can never bypass the balance
 * or budget check: if the next route's hold is refused, the request fails with the
 * provider error it already had. Any non-provider failure (a refused hold, an
 * input the adapter rejects, the client leaving) ends the run at once. On
 * failure every hold is released; on success the caller owns `hold`.
 */
export async function runOnRoutes<T>(reliability: Reliability, input: RouteRunInput<T>): Promise<RouteRun<T>> {
  const attempts: AttemptRecord[] = [];
  let hold: Hold | undefined;
  let lastFailure: unknown;
  try {
    for (const [index, candidate] of input.candidates.entries()) {
      if (index > 0 && !input.candidates[index - 1]!.mayFallBack) break;
      const amount = input.holdAmount(candidate);
      // A hold is reused only when it is the wallet's alone, of the same amount: a budget hold belongs to one key.
      if (hold === undefined || hold.heldUnits !== amount || hold.budget || candidate.budgetAccountId) {
        const previous = hold;
        hold = undefined;
        if (previous) await input.release(previous);
        try {
          hold = await input.hold(amount, candidate);
        } catch (error) {
          // The first route's refusal is the answer (402); a fallback's keeps the provider failure.
          if (index === 0) throw error;
          break;
        }
      }
      try {
        const result = await attemptRoute(reliability, input, candidate, attempts);
        return { result, candidate, hold, attempts };
      } catch (error) {
        lastFailure = error;
        if (!isRouteFailure(error)) throw error;
        if (!fallbackEligible(error)) throw publicFailure(error);
      }
    }
    throw publicFailure(lastFailure);
  } catch (error) {
    if (hold) await input.release(hold);
    throw error;
  }
}

async function attemptRoute<T>(
  reliability: Reliability,
  input: RouteRunInput<T>,
  candidate: RouteCandidate,
  attempts: AttemptRecord[],
): Promise<T> {
  const { breakers, retry, metrics } = reliability;
  const base = {
    route_mode: candidate.routeMode,
    provider: candidate.subject.provider,
    ...(candidate.credentialId === undefined ? {} : { credential_id: candidate.credentialId }),
    model: input.upstreamModel,
  };
  for (let attempt = 1; ; attempt += 1) {
    const permit = breakers.permit(candidate.subject);
    if (!permit.allowed) {
      attempts.push({ ...base, outcome: "circuit_open", duration_ms: 0 });
      metrics.attempt(candidate.subject.provider, candidate.routeMode, "circuit_open");
      throw new CircuitOpen(permit.retryAfterMs);
    }
    // Outside the try: a key that fails to decrypt is an operator problem (500), never a provider failure.
    const provider = await candidate.provider().catch((error: unknown) => {
      breakers.abandoned(candidate.subject);
      throw error;
    });
    const started = Date.now();
    try {
      if (!provider) throw new CredentialGone();
      const result = await input.call(provider);
      breakers.succeeded(candidate.subject);
      attempts.push({ ...base, outcome: "success", duration_ms: Date.now() - started });
      metrics.attempt(candidate.subject.provider, candidate.routeMode, "success");
      return result;
    } catch (error) {
      const outcome = error instanceof CredentialGone ? "unusable_credential" : classifyFailure(error);
      const status = isProviderError(error) ? error.status : undefined;
      metrics.attempt(candidate.subject.provider, candidate.routeMode, outcome);
      if (countsAgainstBreaker(outcome)) breakers.failed(candidate.subject);
      else if (outcome === "http_4xx" || outcome === "invalid_response" || outcome === "stream_error")
        breakers.succeeded(candidate.subject); // it answered: alive, whatever it thought of the request
      else breakers.abandoned(candidate.subject);
      const record: AttemptRecord = {
        ...base,
        outcome,
        ...(status === undefined ? {} : { status }),
        duration_ms: Date.now() - started,
      };
      attempts.push(record);
      const delay =
        isRetryable(outcome, error) && attempt < retry.maxAttempts && !input.signal.aborted
          ? retryDelayMs(retry, attempt, isProviderError(error) ? error.retryAfterSeconds : undefined)
          : undefined;
      if (delay === undefined) throw error;
      record.retry_in_ms = delay;
      await sleep(delay, input.signal).catch(() => {
        throw error;
      });
    }
  }
}

/** A failure of the route itself, as opposed to a bug or an operator problem (those surface as 500). */
function isRouteFailure(error: unknown): boolean {
  return (
    error instanceof CircuitOpen ||
    error instanceof CredentialGone ||
    error instanceof AppError ||
    isProviderError(error)
  );
}

function fallbackEligible(error: unknown): boolean {
  if (error instanceof CircuitOpen || error instanceof CredentialGone) return true;
  if (error instanceof AppError) return false;
  return allowsFallback(classifyFailure(error), isProviderError(error) ? error.status : undefined);
}

/** What the client sees when no route answered. */
function publicFailure(error: unknown): AppError {
  if (error instanceof CircuitOpen) {
    return new AppError("provider_error", "The upstream provider is failing; calls to it are paused for a moment.", {
      retryable: true,
      retryAfterSeconds: Math.max(1, Math.ceil(error.retryAfterMs / 1000)),
    });
  }
  if (error instanceof CredentialGone) {
    return new AppError("provider_error", "The stored provider key was revoked during the request.", {
      retryable: true,
    });
  }
  return providerFailure(error);
}
