import { comparePolicy, type PolicyPhaseStack } from "./policy-phase.js";

/**
 * The cost of spending budgets: the same chat request under a feature with
 * none and under one with two that never run out — a daily USD budget per
 * end user, and a daily token budget shared by the whole feature (every
 * connection's holds then queue on the one counter row: the worst case).
 */
export function runBudgetsPhase(stack: PolicyPhaseStack) {
  return comparePolicy(stack, {
    title: "Spending budgets",
    off: "bench_unbudgeted",
    on: "bench_budgeted",
    onPolicy: {
      limits: {
        budgets: [
          { scope: "end_user", period: "day", max_usd: "100000.00" },
          { scope: "feature", period: "day", max_tokens: 1_000_000_000_000 },
        ],
      },
    },
    onLabel: "two budgets",
  });
}
