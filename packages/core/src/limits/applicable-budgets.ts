import { parseUsd } from "../money/parse-usd.js";
import { budgetGrain, type BudgetGrain } from "./budget-period.js";
import type { Budget, Limits } from "./limits-schema.js";

/** Whose spending a request adds to: its app, feature and end user. */
export interface BudgetSubject {
  appId: string;
  featureKey: string;
  endUserId: string;
}

/**
 * One budget a request is counted against, with the counter it is counted
 * in. Budgets of the same subject and grain share a counter (a daily USD and
 * a daily token budget; two rolling windows of different lengths): counters
 * count both USD and tokens, each budget checks its own limits on them.
 */
export interface ApplicableBudget {
  /** Who set it: the app's `limits` or a feature's `policy.limits`. */
  source: "app" | "feature";
  /** The feature whose manifest set it; null for the app's. */
  featureKey: string | null;
  budget: Budget;
  /**
   * The counter's identity: `<app>|<feature or *>|<end user or *>|<grain>`
   * (`*` = every feature / every end user). Holds lock counters in this
   * key's order, so concurrent holds never deadlock.
   */
  counterKey: string;
  grain: BudgetGrain;
  /** max_usd in units of 1e-8 USD (retail, what the end user is charged); undefined = no USD limit. */
  maxUnits: bigint | undefined;
  /** max_tokens (input + output); undefined = no token limit. */
  maxTokens: number | undefined;
}

const ALL = "*";

/** The counter key of a budget of `scope` for `subject`. */
function counterKey(source: "app" | "feature", budget: Budget, subject: BudgetSubject, grain: BudgetGrain): string {
  // A feature's budgets count that feature only; the app's count all of the app's features.
  const feature = source === "feature" ? subject.featureKey : ALL;
  const endUser = budget.scope === "end_user" ? subject.endUserId : ALL;
  return `${subject.appId}|${feature}|${endUser}|${grain}`;
}

function applicable(source: "app" | "feature", limits: Limits | undefined, subject: BudgetSubject) {
  return (limits?.budgets ?? []).map((budget): ApplicableBudget => {
    const grain = budgetGrain(budget.period);
    return {
      source,
      featureKey: source === "feature" ? subject.featureKey : null,
      budget,
      counterKey: counterKey(source, budget, subject, grain),
      grain,
      maxUnits: budget.max_usd === undefined ? undefined : parseUsd(budget.max_usd),
      maxTokens: budget.max_tokens,
    };
  });
}

/**
 * Every budget a request by `subject` counts against: the app's (per end
 * user across the app, or the whole app) and its feature's (per end user of
 * the feature, or the whole feature). Empty when neither sets any: such a
 * request does no budget work at all.
 */
export function applicableBudgets(
  subject: BudgetSubject,
  appLimits: Limits | undefined,
  featureLimits: Limits | undefined,
): ApplicableBudget[] {
  return [...applicable("app", appLimits, subject), ...applicable("feature", featureLimits, subject)];
}
