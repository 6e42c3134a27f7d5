import type { BudgetReservation } from "@modelfaucet/billing";
import { estimateMaxCharge, type EstimateMaxChargeInput } from "@modelfaucet/core";
import type { RouteCandidate } from "./route-candidates.js";

/**
 * What a candidate route reserves on its developer key's budget: the most
 * the call can cost upstream — the same worst case as the wallet hold, rated
 * without markup (with no markup the retail price is exactly the ceiled
 * upstream cost). Undefined for routes without a budget.
 */
export function budgetReservation(
  candidate: RouteCandidate,
  worstCase: Omit<EstimateMaxChargeInput, "routeMode">,
): BudgetReservation | undefined {
  if (candidate.budgetAccountId === undefined) return undefined;
  const amountUnits = estimateMaxCharge({
    ...worstCase,
    pricing: { ...worstCase.pricing, markupBps: 0 },
    routeMode: "developer_key",
  });
  return { accountId: candidate.budgetAccountId, amountUnits };
}
