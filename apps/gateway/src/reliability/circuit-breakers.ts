/**
 * Circuit breakers, one per upstream credential (a platform provider, or one
 * stored BYOK / developer key). States:
 *
 * - `closed`: calls go through; `failureThreshold` consecutive failures open it;
 * - `open`: calls are refused without touching upstream until `cooldownMs` has passed;
 * - `half_open`: the cooldown is over; exactly one probe call goes through.
 *   Its success closes the breaker, its failure opens it for another cooldown.
 *
 * Invariants: `consecutiveFailures` resets to 0 on every success; at most one
 * probe is in flight per breaker; the registry holds at most `maxBreakers`
 * entries (closed ones without failures are dropped first — they carry no
 * information).
 */
export type CircuitState = "closed" | "open" | "half_open";

export const CIRCUIT_STATES: readonly CircuitState[] = ["closed", "open", "half_open"];

export interface CircuitBreakerOptions {
  /** Consecutive failures that open a breaker. ≥ 1. */
  failureThreshold: number;
  /** How long an open breaker refuses calls, ms. ≥ 1. */
  cooldownMs: number;
  /** Most breakers kept. ≥ 1. */
  maxBreakers: number;
}

export const DEFAULT_CIRCUIT_BREAKER_OPTIONS: Readonly<CircuitBreakerOptions> = Object.freeze({
  failureThreshold: 5,
  cooldownMs: 30_000,
  maxBreakers: 10_000,
});

/** What a breaker is about, for /health/providers and metrics: never a key or a URL. */
export interface BreakerSubject {
  /** Registry key: `platform:<provider>` or the stored key's id. */
  key: string;
  /** Bounded provider name (`mock`, `openai`, `openai_compatible`…). */
  provider: string;
  routeMode: "platform" | "developer_key" | "byok";
}

/** A breaker's state as shown to operators. */
export interface BreakerSnapshot {
  provider: string;
  routeMode: BreakerSubject["routeMode"];
  state: CircuitState;
  consecutiveFailures: number;
  cooldownRemainingMs: number;
}

interface Breaker {
  subject: BreakerSubject;
  state: CircuitState;
  consecutiveFailures: number;
  openedAt: number;
  probeInFlight: boolean;
}

/** The outcome of asking a breaker for permission to call. */
export type BreakerPermit = { allowed: true } | { allowed: false; retryAfterMs: number };

export class CircuitBreakers {
  readonly #options: CircuitBreakerOptions;
  readonly #breakers = new Map<string, Breaker>();
  readonly #now: () => number;

  constructor(options: Partial<CircuitBreakerOptions> = {}, now: () => number = Date.now) {
    const merged = { ...DEFAULT_CIRCUIT_BREAKER_OPTIONS, ...options };
    for (const [name, value] of Object.entries(merged)) {
      if (!Number.isSafeInteger(value) || value < 1) {
        throw new RangeError(`circuit breaker option ${name} must be a positive integer, got ${String(value)}`);
      }
    }
    this.#options = merged;
    this.#now = now;
  }

  /** May `subject` be called now? Moves an open breaker past its cooldown to half-open and admits one probe. */
  permit(subject: BreakerSubject): BreakerPermit {
    const breaker = this.#breakers.get(subject.key);
    if (!breaker || breaker.state === "closed") return { allowed: true };
    const remaining = this.#cooldownRemaining(breaker);
    if (breaker.state === "open" && remaining > 0) return { allowed: false, retryAfterMs: remaining };
    if (breaker.probeInFlight) return { allowed: false, retryAfterMs: this.#options.cooldownMs };
    breaker.state = "half_open";
    breaker.probeInFlight = true;
    return { allowed: true };
  }

  /** The upstream answered (any status that says it is alive): close the breaker. */
  succeeded(subject: BreakerSubject): void {
    const breaker = this.#breakers.get(subject.key);
    if (!breaker) return;
    breaker.state = "closed";
    breaker.consecutiveFailures = 0;
    breaker.probeInFlight = false;
  }

  /** A connection error, timeout, 429 or 5xx: count it; open at the threshold or when a probe fails. */
  failed(subject: BreakerSubject): void {
    const breaker = this.#breakerFor(subject);
    breaker.consecutiveFailures += 1;
    const probeFailed = breaker.state === "half_open";
    breaker.probeInFlight = false;
    if (probeFailed || breaker.consecutiveFailures >= this.#options.failureThreshold) {
      breaker.state = "open";
      breaker.openedAt = this.#now();
    }
  }

  /** A call that neither proved nor disproved health (aborted by the client): free the probe slot. */
  abandoned(subject: BreakerSubject): void {
    const breaker = this.#breakers.get(subject.key);
    if (breaker?.probeInFlight) {
      breaker.probeInFlight = false;
      breaker.state = "open";
      breaker.openedAt = this.#now() - this.#options.cooldownMs;
    }
  }

  /** Every tracked breaker (at most `maxBreakers`), for /health/providers and metrics. */
  snapshot(): BreakerSnapshot[] {
    return [...this.#breakers.values()].map((breaker) => ({
      provider: breaker.subject.provider,
      routeMode: breaker.subject.routeMode,
      state: breaker.state === "open" && this.#cooldownRemaining(breaker) === 0 ? "half_open" : breaker.state,
      consecutiveFailures: breaker.consecutiveFailures,
      cooldownRemainingMs: breaker.state === "open" ? this.#cooldownRemaining(breaker) : 0,
    }));
  }

  /** Registers a subject so it shows (as closed) before its first failure: the platform pool. */
  track(subject: BreakerSubject): void {
    this.#breakerFor(subject);
  }

  #cooldownRemaining(breaker: Breaker): number {
    return Math.max(0, breaker.openedAt + this.#options.cooldownMs - this.#now());
  }

  #breakerFor(subject: BreakerSubject): Breaker {
    const existing = this.#breakers.get(subject.key);
    if (existing) return existing;
    if (this.#breakers.size >= this.#options.maxBreakers) this.#evictOne();
    const breaker: Breaker = { subject, state: "closed", consecutiveFailures: 0, openedAt: 0, probeInFlight: false };
    this.#breakers.set(subject.key, breaker);
    return breaker;
  }

  #evictOne(): void {
    for (const [key, breaker] of this.#breakers) {
      if (breaker.state === "closed" && breaker.consecutiveFailures === 0 && breaker.subject.routeMode !== "platform") {
        this.#breakers.delete(key);
        return;
      }
    }
    // All carry state: drop the oldest entry rather than grow without bound.
    const oldest = this.#breakers.keys().next().value;
    if (oldest !== undefined) this.#breakers.delete(oldest);
  }
}
