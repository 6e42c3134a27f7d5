import type { Redis } from "ioredis";
import { RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { windowCounter } from "./window-counter.js";

/** One limit a request must pass: `cost` units against `limit` units per window on `key`. */
export interface WindowCharge {
  key: string;
  limit: number;
  cost: number;
}

/** A charge taken, with the end of the window it was counted in. */
export type TakenCharge<C extends WindowCharge = WindowCharge> = C & { windowEndsAtMs: number };

export type WindowOutcome<C extends WindowCharge = WindowCharge> =
  | { admitted: true; taken: TakenCharge<C>[] }
  /** `refused` is the first charge over its limit; `retryAfterMs` when the last refused window ends. */
  | { admitted: false; refused: C; retryAfterMs: number };

/** A window's count for a key, read without counting. */
export interface WindowUsage {
  used: number;
  /** Until the window resets; 0 when nothing is counted. */
  resetsInMs: number;
}

// Limits differ per key and may change between requests, so the store counts
// without a ceiling and the caller's limit is compared with the count.
const UNBOUNDED = Number.MAX_SAFE_INTEGER;

// A give-back this close to the window's end could land in the next window
// (the key expired meanwhile) and hand out credit there: it is skipped.
const GIVE_BACK_MARGIN_MS = 250;

/**
 * Several limits over fixed windows, each with its own key, checked
 * together: all pass and stay counted, or none stays counted. Counts live in
 * memory or in Redis (one count across every instance sharing it). Counting
 * is consume-then-check — there is no atomic "take if it fits" across keys —
 * so a request over a limit is counted for the moment it takes to give its
 * units back; a concurrent request may see that count and be refused too.
 */
export class WindowLimits {
  private readonly counter: RateLimiterAbstract;
  private readonly onStoreFailure: (error: unknown) => void;

  constructor(options: {
    windowSeconds: number;
    keyPrefix: string;
    redis?: Redis | undefined;
    /** Both stores failed (the charge is let through uncounted: serving unlimited beats refusing everyone). */
    onStoreFailure: (error: unknown) => void;
  }) {
    this.onStoreFailure = options.onStoreFailure;
    this.counter = windowCounter({
      points: UNBOUNDED,
      durationSeconds: options.windowSeconds,
      keyPrefix: options.keyPrefix,
      redis: options.redis,
    });
  }

  /** Counts every charge; when one goes over its limit, gives them all back and refuses. */
  async take<C extends WindowCharge>(charges: readonly C[]): Promise<WindowOutcome<C>> {
    const now = Date.now();
    const results = await Promise.all(charges.map((charge) => this.consume(charge)));
    const taken = charges.map((charge, index): TakenCharge<C> => ({
      ...charge,
      windowEndsAtMs: now + (results[index]?.msBeforeNext ?? 0),
    }));
    const over = charges.flatMap((charge, index) => {
      const result = results[index];
      return result && result.consumedPoints > charge.limit ? [{ charge, result }] : [];
    });
    if (over.length === 0) return { admitted: true, taken };
    await Promise.all(taken.map((charge) => this.giveBack(charge, charge.cost)));
    return {
      admitted: false,
      refused: over[0]!.charge,
      retryAfterMs: Math.max(...over.map(({ result }) => result.msBeforeNext)),
    };
  }

  /**
   * Gives `units` of a taken charge back to its window (negative: counts
   * more), unless that window has ended — a new window owes nothing.
   */
  async giveBack(charge: TakenCharge, units: number): Promise<void> {
    if (units === 0 || Date.now() > charge.windowEndsAtMs - GIVE_BACK_MARGIN_MS) return;
    try {
      if (units > 0) await this.counter.reward(charge.key, units);
      else await this.counter.penalty(charge.key, -units);
    } catch (error) {
      // The count stays a little high until its window ends.
      this.onStoreFailure(error);
    }
  }

  /** What `key` has used in its current window. */
  async usage(key: string): Promise<WindowUsage> {
    const result = await this.counter.get(key).catch(() => null);
    if (!result) return { used: 0, resetsInMs: 0 };
    return { used: Math.max(result.consumedPoints, 0), resetsInMs: Math.max(result.msBeforeNext, 0) };
  }

  /** Counts a charge; undefined when both stores failed (the charge is then let through uncounted). */
  private async consume(charge: WindowCharge): Promise<RateLimiterRes | undefined> {
    try {
      return await this.counter.consume(charge.key, charge.cost);
    } catch (outcome) {
      if (outcome instanceof RateLimiterRes) return outcome;
      this.onStoreFailure(outcome);
      return undefined;
    }
  }
}
