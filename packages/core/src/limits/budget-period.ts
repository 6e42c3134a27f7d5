import type { Budget } from "./limits-schema.js";

/**
 * The size of the counter buckets a budget is counted in: a calendar `day`
 * or `month` budget counts one bucket (the current one), a rolling budget
 * sums the `hour` buckets of its window. Buckets start on UTC boundaries.
 */
export type BudgetGrain = "hour" | "day" | "month";

const HOUR_MS = 3_600_000;

/** The grain a budget's period is counted in. */
export function budgetGrain(period: Budget["period"]): BudgetGrain {
  if (period === "day") return "day";
  if (period === "month") return "month";
  return "hour";
}

/** The start (UTC) of the `grain` bucket holding `at`. */
export function bucketStart(grain: BudgetGrain, at: Date): Date {
  const ms = at.getTime();
  if (grain === "hour") return new Date(Math.floor(ms / HOUR_MS) * HOUR_MS);
  if (grain === "day") return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}

/** The start of the bucket after the one starting at `start` (months have their own lengths, leap years included). */
export function nextBucketStart(grain: BudgetGrain, start: Date): Date {
  if (grain === "hour") return new Date(start.getTime() + HOUR_MS);
  if (grain === "day") return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate() + 1));
  return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
}

/**
 * What a budget counts at `at`: the buckets starting from `from` to
 * `current` (inclusive), `current` being the bucket a request made now is
 * counted in, and when the count next drops — `resetsAt`: the next day or
 * month for calendar periods; for a rolling window, the next hour boundary,
 * when the window's oldest hour (`from`) leaves it (it is then
 * `window_hours` old).
 */
export interface BudgetWindow {
  grain: BudgetGrain;
  from: Date;
  current: Date;
  resetsAt: Date;
}

export function budgetWindow(budget: Pick<Budget, "period" | "window_hours">, at: Date): BudgetWindow {
  const grain = budgetGrain(budget.period);
  const current = bucketStart(grain, at);
  const resetsAt = nextBucketStart(grain, current);
  if (budget.period !== "rolling") return { grain, from: current, current, resetsAt };
  const hours = budget.window_hours ?? 1;
  return { grain, from: new Date(current.getTime() - (hours - 1) * HOUR_MS), current, resetsAt };
}
