import type { BilledSession, SpendContext } from "@modelfaucet/billing";
import { applicableBudgets, type ApplicableBudget } from "@modelfaucet/core";
import type { AppLimitsCatalog } from "../catalog/app-limits-catalog.js";
import type { FeatureCatalog } from "../catalog/feature-catalog.js";

/**
 * The budgets a request counts against, from the cached app limits and
 * feature manifests: no database work per request, and none at all in
 * billing when neither sets a budget (the list is empty).
 */
export function spendBudgetsFor(features: FeatureCatalog, appLimits: AppLimitsCatalog) {
  return async (session: BilledSession, featureKey: string): Promise<ApplicableBudget[]> => {
    const [feature, app] = await Promise.all([
      features.resolve(session.appId, featureKey, null),
      appLimits(session.appId),
    ]);
    const subject = { appId: session.appId, featureKey, endUserId: session.endUserId };
    return applicableBudgets(subject, app, feature.policy.limits);
  };
}

/** What a request adds to its budgets: its feature, and its prompt's token bound plus its output limit. */
export function spendOf(
  featureKey: string,
  worstCase: { promptTokens: number; maxOutputTokens: number },
): SpendContext {
  return { featureKey, maxTokens: worstCase.promptTokens + worstCase.maxOutputTokens };
}
