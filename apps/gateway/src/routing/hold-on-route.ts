import type { BilledSession, Billing, Hold } from "@modelfaucet/billing";
import type { EstimateMaxChargeInput } from "@modelfaucet/core";
import { spendOf } from "../limits/spend-budgets.js";
import { budgetReservation } from "./budget-reservation.js";
import type { RouteCandidate } from "./route-candidates.js";

/** The most one request can cost, before its route is known (estimateMaxCharge without routeMode). */
export type WorstCase = Omit<EstimateMaxChargeInput, "routeMode">;

/**
 * The hold one route's attempt places, the same for every endpoint: the
 * wallet `amount`, the developer key's budget when the route has one, and
 * the request's spending budgets (its feature and its token bound).
 */
export function holdOnRoute(billing: Billing, session: BilledSession, requestId: string, featureKey: string) {
  return (amount: bigint, candidate: RouteCandidate, worstCase: WorstCase): Promise<Hold> =>
    billing.hold(session, amount, requestId, budgetReservation(candidate, worstCase), spendOf(featureKey, worstCase));
}
