import {
  appLimitsSchema,
  applicableBudgets,
  featureLimitsSchema,
  type ApplicableBudget,
  type Limits,
} from "@modelfaucet/core";
import type { Queryable } from "@modelfaucet/db";
import { findAppLimits, listActiveFeatures } from "@modelfaucet/store";
import type { BilledSession } from "../usage/billing.js";

// Stored limits are what the API validated on write; a stored value that no longer passes reads as none here
// (the Gateway, which enforces them per request, refuses that app's or feature's requests instead).
function parsed(
  schema: { safeParse(value: unknown): { success: true; data: Limits } | { success: false } },
  value: unknown,
): Limits | undefined {
  const result = schema.safeParse(value ?? undefined);
  return result.success ? result.data : undefined;
}

/** An app's stored `limits`, parsed; undefined when it sets none. */
export async function storedAppLimits(q: Queryable, appId: string): Promise<Limits | undefined> {
  return parsed(appLimitsSchema, await findAppLimits(q, appId));
}

/** A stored feature policy's `limits`, parsed; undefined when it sets none. */
export function storedFeatureLimits(policy: { limits?: unknown }): Limits | undefined {
  return parsed(featureLimitsSchema, policy.limits);
}

/**
 * withSpendBudgets' `budgetsFor` read from the database on every call — for
 * the Control API's local tickets, one per local call (the Gateway caches
 * instead).
 */
export function storedBudgetsFor(q: Queryable) {
  return async (session: BilledSession, featureKey: string): Promise<ApplicableBudget[]> => {
    const [app, features] = await Promise.all([
      storedAppLimits(q, session.appId),
      listActiveFeatures(q, session.appId),
    ]);
    const feature = features.find((candidate) => candidate.featureKey === featureKey);
    const subject = { appId: session.appId, featureKey, endUserId: session.endUserId };
    return applicableBudgets(subject, app, feature && storedFeatureLimits(feature.policy));
  };
}
