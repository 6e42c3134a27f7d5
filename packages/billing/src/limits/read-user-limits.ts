import { applicableBudgets, budgetWindow, type ApplicableBudget, type BudgetWindow } from "@modelfaucet/core";
import type { Queryable } from "@modelfaucet/db";
import { listActiveFeatures, readCounterSpans, type CounterUsage } from "@modelfaucet/store";
import { storedAppLimits, storedFeatureLimits } from "./stored-limits.js";

/** One budget that applies to an end user, its current window and what that window counts. */
export interface UserBudgetState {
  applicable: ApplicableBudget;
  window: BudgetWindow;
  usage: CounterUsage;
}

/** The per-minute rates one source (the app, or one feature) sets. */
export interface UserRateState {
  source: "app" | "feature";
  featureKey: string | null;
  requestsPerMinute: number | undefined;
  tokensPerMinute: number | undefined;
}

/**
 * Every budget and per-minute rate that applies to `endUserId` in `appId`
 * at `now`: the app's, then each active feature's, each budget with what its
 * window counts (read, never locked).
 */
export async function readUserLimits(
  q: Queryable,
  subject: { appId: string; endUserId: string },
  now: Date,
): Promise<{ budgets: UserBudgetState[]; rates: UserRateState[] }> {
  const [app, features] = await Promise.all([storedAppLimits(q, subject.appId), listActiveFeatures(q, subject.appId)]);
  const sources = [
    { featureKey: null, limits: app },
    ...features.map((feature) => ({ featureKey: feature.featureKey, limits: storedFeatureLimits(feature.policy) })),
  ];
  // The app's budgets count every feature: the feature in their subject does not enter their counter key.
  const all = sources.flatMap(({ featureKey, limits }) =>
    featureKey === null
      ? applicableBudgets({ ...subject, featureKey: "*" }, limits, undefined)
      : applicableBudgets({ ...subject, featureKey }, undefined, limits),
  );
  const windows = all.map((applicable) => budgetWindow(applicable.budget, now));
  const usages = await readCounterSpans(
    q,
    all.map((applicable, i) => ({
      counterKey: applicable.counterKey,
      from: windows[i]!.from,
      to: windows[i]!.current,
    })),
  );
  const rates = sources
    .filter(({ limits }) => limits?.requests_per_minute !== undefined || limits?.tokens_per_minute !== undefined)
    .map(({ featureKey, limits }) => ({
      source: featureKey === null ? ("app" as const) : ("feature" as const),
      featureKey,
      requestsPerMinute: limits?.requests_per_minute,
      tokensPerMinute: limits?.tokens_per_minute,
    }));
  return {
    budgets: all.map((applicable, i) => ({ applicable, window: windows[i]!, usage: usages[i]! })),
    rates,
  };
}
