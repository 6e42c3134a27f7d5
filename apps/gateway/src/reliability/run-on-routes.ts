import type { Hold } from "@modelfaucet/billing";
import { AppError } from "@modelfaucet/core";
import { isProviderError } from "@modelfaucet/providers";
import { providerFailure } from "../chat/provider-failure.js";
import type { RouteAdapters } from "../routing/credential-providers.js";
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
  /** Wraps each upstream call in a trace span; undefined when tracing is off (the call is made as it is). */
  traceAttempt?: AttemptTracer | undefined;
}

/** One upstream call as its trace span describes it: the run's endpoint, the route, and which try on it (from 1). */
export interface TracedAttempt {
  endpoint: string;
  route_mode: RouteCandidate["routeMode"];
  provider: string;
  model: string;
  attempt: number;
}

/** Runs `call` (one upstream call) inside a span describing `attempt`, and answers what it answers. */
export type AttemptTracer = <T>(attempt: TracedAttempt, call: () => Promise<T>) => Promise<T>;

/**
 * One upstream call (or breaker refusal, or a key revoked since routing) as recorded on the usage event:
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

/**
 * One endpoint's request run over its candidate routes. `A` is the adapter
 * the endpoint calls (a chat provider, an embeddings provider, a native or
 * translated Responses upstream), `T` what a 2xx call resolves to.
 */
export interface RouteRunInput<A, T> {
  candidates: RouteCandidate[];
  /** The endpoint, for the 503 when no candidate can serve it ("embeddings"). */
  endpoint: string;
  /** The provider's model name, for the attempts log. */
  upstreamModel: string;
  /** The request's deadline / client-gone signal: waits between attempts end with it. */
  signal: AbortSignal;
  /**
   * The candidate's adapter for this endpoint, or undefined when its
   * credential cannot serve it (a stored Anthropic key has no embeddings API):
   * the candidate is then skipped like a route without a credential. May
   * throw a 4xx for an input this route cannot carry.
   */
  adapter(adapters: RouteAdapters): A | undefined;
  /** The most a candidate's route can cost (its hold). */
  holdAmount(candidate: RouteCandidate, adapter: A): bigint;
  /**
   * Places the candidate's hold (the wallet's, and its key's budget's when it
   * has one); throws `insufficient_balance` or `budget_exceeded` (402)
   * without calling upstream.
   */
  hold(amountUnits: bigint, candidate: RouteCandidate, adapter: A): Promise<Hold>;
  release(hold: Hold): Promise<void>;
  /** The upstream call itself (resolves once upstream answered 2xx; a stream before its first byte reaches the client). */
  call(adapter: A): Promise<T>;
}

export interface RouteRun<A, T> {
  result: T;
  candidate: RouteCandidate;
  /** The adapter that served the request. */
  adapter: A;
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
 * Calls upstream on the first candidate route that can serve the endpoint,
 * retrying it on connection errors, 429 (waiting the upstream's Retry-After,
 * up to a cap) and 5xx with exponential backoff and jitter; then, only when
 * that route allows it and the failure is the provider's, on the next capable
 * candidate. Each route's hold is placed before its first call, so a fallback
 * can never bypass the balance or budget check: if the next route refuses the
 * request (its hold, or an input it cannot carry), the request fails with the
 * provider error it already had. Any non-provider failure (a refused hold, an
 * input the adapter rejects, the client leaving) ends the run at once. No
 * capable candidate: 503 `no_available_route`. On failure every hold is
 * released; on success the caller owns `hold`.
 */
export async function runOnRoutes<A, T>(reliability: Reliability, input: RouteRunInput<A, T>): Promise<RouteRun<A, T>> {
  const attempts: AttemptRecord[] = [];
  let hold: Hold | undefined;
  let tried: RouteCandidate | undefined;
  let lastFailure: unknown;
  try {
    for (const candidate of input.candidates) {
      if (tried && !tried.mayFallBack) break;
      const isFallback = tried !== undefined;
      // Outside any attempt: a key that fails to decrypt is an operator problem (500), never a provider failure.
      const adapters = await candidate.adapters();
      let adapter: A | undefined;
      try {
        adapter = adapters && input.adapter(adapters);
      } catch (error) {
        // The first route's refusal is the answer (400); a fallback's keeps the provider failure.
        if (!isFallback) throw error;
        break;
      }
      if (adapters !== undefined && adapter === undefined) continue;
      tried = candidate;
      if (adapter === undefined) {
        lastFailure = credentialGone(reliability, input, candidate, attempts);
        continue;
      }
      const amount = input.holdAmount(candidate, adapter);
      // A hold is reused only when it is the wallet's alone, of the same amount: a budget hold belongs to one key.
      if (hold === undefined || hold.heldUnits !== amount || hold.budget || candidate.budgetAccountId) {
        const previous = hold;
        hold = undefined;
        if (previous) await input.release(previous);
        try {
          hold = await input.hold(amount, candidate, adapter);
        } catch (error) {
          // The first route's refusal is the answer (402); a fallback's keeps the provider failure.
          if (!isFallback) throw error;
          break;
        }
      }
      try {
        const result = await attemptRoute(reliability, input, candidate, adapter, attempts);
        return { result, candidate, adapter, hold, attempts };
      } catch (error) {
        lastFailure = error;
        if (!isRouteFailure(error)) throw error;
        if (!fallbackEligible(error)) throw publicFailure(error);
      }
    }
    if (tried === undefined) {
      throw new AppError(
        "no_available_route",
        `No route this feature allows can serve ${input.endpoint} for this model.`,
        { status: 503 },
      );
    }
    throw publicFailure(lastFailure);
  } catch (error) {
    if (hold) await input.release(hold);
    throw error;
  }
}

/** The sanitized fields every attempt on `candidate` shares. */
function attemptBase(input: { upstreamModel: string }, candidate: RouteCandidate) {
  return {
    route_mode: candidate.routeMode,
    provider: candidate.subject.provider,
    ...(candidate.credentialId === undefined ? {} : { credential_id: candidate.credentialId }),
    model: input.upstreamModel,
  };
}

/** Records a candidate whose stored key was revoked since routing: no hold, no call, a route failure. */
function credentialGone(
  reliability: Reliability,
  input: { upstreamModel: string },
  candidate: RouteCandidate,
  attempts: AttemptRecord[],
): CredentialGone {
  attempts.push({ ...attemptBase(input, candidate), outcome: "unusable_credential", duration_ms: 0 });
  reliability.metrics.attempt(candidate.subject.provider, candidate.routeMode, "unusable_credential");
  return new CredentialGone();
}

async function attemptRoute<A, T>(
  reliability: Reliability,
  input: RouteRunInput<A, T>,
  candidate: RouteCandidate,
  adapter: A,
  attempts: AttemptRecord[],
): Promise<T> {
  const { breakers, retry, metrics } = reliability;
  const base = attemptBase(input, candidate);
  for (let attempt = 1; ; attempt += 1) {
    const permit = breakers.permit(candidate.subject);
    if (!permit.allowed) {
      attempts.push({ ...base, outcome: "circuit_open", duration_ms: 0 });
      metrics.attempt(candidate.subject.provider, candidate.routeMode, "circuit_open");
      throw new CircuitOpen(permit.retryAfterMs);
    }
    const started = Date.now();
    try {
      const result = await (reliability.traceAttempt
        ? reliability.traceAttempt({ endpoint: input.endpoint, ...base, attempt }, () => input.call(adapter))
        : input.call(adapter));
      breakers.succeeded(candidate.subject);
      attempts.push({ ...base, outcome: "success", duration_ms: Date.now() - started });
      metrics.attempt(candidate.subject.provider, candidate.routeMode, "success");
      return result;
    } catch (error) {
      const outcome = classifyFailure(error);
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
  return error instanceof CircuitOpen || error instanceof AppError || isProviderError(error);
}

function fallbackEligible(error: unknown): boolean {
  if (error instanceof CircuitOpen) return true;
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
