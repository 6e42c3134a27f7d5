import { AppError, formatUsd, type ApplicableBudget } from "@modelfaucet/core";
import type { CounterUsage } from "@modelfaucet/store";

/** "the end user's daily budget for feature \"draft\"", "the app's 24-hour budget", … */
export function describeBudget(applicable: ApplicableBudget): string {
  const { budget } = applicable;
  const whose = { end_user: "the end user's", feature: "the feature's", app: "the app's" }[budget.scope];
  const period =
    budget.period === "rolling" ? `${budget.window_hours}-hour` : budget.period === "day" ? "daily" : "monthly";
  const where = applicable.featureKey === null ? "" : ` for feature "${applicable.featureKey}"`;
  return `${whose} ${period} budget${where}`;
}

/**
 * The 402 for a request that could take a budget past its limit: which
 * budget (scope, period, window, the feature that set it), its limit, what
 * remains and what the request needed reserved — in USD or tokens, whichever
 * limit it did not fit (USD first when both).
 */
export function budgetExceeded(
  applicable: ApplicableBudget,
  usage: CounterUsage,
  needed: { units: bigint; tokens: number },
): AppError {
  const { budget } = applicable;
  const usedUnits = usage.spentUnits + usage.heldUnits;
  const usedTokens = usage.spentTokens + usage.heldTokens;
  const overUsd = applicable.maxUnits !== undefined && usedUnits + needed.units > applicable.maxUnits;
  const base = {
    budget_scope: budget.scope,
    budget_period: budget.period,
    budget_window_hours: budget.window_hours ?? null,
    budget_feature_key: applicable.featureKey,
  };
  const name = describeBudget(applicable);
  if (overUsd) {
    const limit = applicable.maxUnits!;
    const remaining = formatUsd(usedUnits >= limit ? 0n : limit - usedUnits);
    const neededUsd = formatUsd(needed.units);
    return new AppError(
      "budget_exceeded",
      `This request could exceed ${name} of ${formatUsd(limit)} USD: it needs up to ${neededUsd} USD reserved; ` +
        `${remaining} USD remains.`,
      { details: { ...base, limit_usd: formatUsd(limit), remaining_usd: remaining, needed_usd: neededUsd } },
    );
  }
  const limit = applicable.maxTokens ?? 0;
  const remaining = Math.max(0, limit - usedTokens);
  return new AppError(
    "budget_exceeded",
    `This request could exceed ${name} of ${limit} tokens: it needs up to ${needed.tokens} tokens reserved; ` +
      `${remaining} tokens remain.`,
    { details: { ...base, limit_tokens: limit, remaining_tokens: remaining, needed_tokens: needed.tokens } },
  );
}
