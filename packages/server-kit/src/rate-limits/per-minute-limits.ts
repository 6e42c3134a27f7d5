import type { Redis } from "ioredis";
import { WindowLimits, type WindowCharge } from "./window-limits.js";

/** Per-end-user rates of a feature's `policy.limits` or an app's `limits` (limits-schema.ts in core). */
export interface PerMinuteRates {
  requests_per_minute?: number | undefined;
  tokens_per_minute?: number | undefined;
}

/** Whose rates a count is held against: a feature's apply to its own requests, the app's to all of them. */
export type RateScope = "feature" | "app";

/** One per-minute limit a request is checked against. */
export interface PerMinuteCheck extends WindowCharge {
  scope: RateScope;
  unit: "requests" | "tokens";
}

/** A per-minute limit as it stands for an end user, read without counting. */
export interface PerMinuteState {
  scope: RateScope;
  unit: PerMinuteCheck["unit"];
  limit: number;
  remaining: number;
  /** Until the current minute's count resets; 0 when nothing is counted. */
  resetsInMs: number;
}

/**
 * The per-minute counters, under one key prefix for every service: the
 * Gateway counts, the API reads (through the same Redis; without Redis each
 * process has its own and only the Gateway's count).
 */
export function perMinuteWindows(options: {
  redis?: Redis | undefined;
  onStoreFailure: (error: unknown) => void;
}): WindowLimits {
  return new WindowLimits({ windowSeconds: 60, keyPrefix: "user-minute", ...options });
}

/**
 * The counters one request is checked against: one per rate set, keyed by
 * the end user within the app (a feature's keyed by the feature too), so a
 * user never shares a count with another user. `tokens` is what the request
 * counts against a tokens-per-minute limit.
 */
export function perMinuteChecks(
  subject: { appId: string; endUserId: string },
  featureKey: string,
  rates: { feature?: PerMinuteRates | undefined; app?: PerMinuteRates | undefined },
  tokens: number,
): PerMinuteCheck[] {
  const checks: PerMinuteCheck[] = [];
  const add = (scope: RateScope, counted: string, set: PerMinuteRates | undefined) => {
    if (set?.requests_per_minute) {
      checks.push({ scope, unit: "requests", key: `rpm|${counted}`, limit: set.requests_per_minute, cost: 1 });
    }
    if (set?.tokens_per_minute) {
      checks.push({ scope, unit: "tokens", key: `tpm|${counted}`, limit: set.tokens_per_minute, cost: tokens });
    }
  };
  add("feature", `${subject.appId}|f|${featureKey}|${subject.endUserId}`, rates.feature);
  add("app", `${subject.appId}|a|${subject.endUserId}`, rates.app);
  return checks;
}

/** What each check's counter has left this minute. */
export function perMinuteStates(windows: WindowLimits, checks: readonly PerMinuteCheck[]): Promise<PerMinuteState[]> {
  return Promise.all(
    checks.map(async (check) => {
      const usage = await windows.usage(check.key);
      return {
        scope: check.scope,
        unit: check.unit,
        limit: check.limit,
        remaining: Math.max(check.limit - usage.used, 0),
        resetsInMs: usage.resetsInMs,
      };
    }),
  );
}
