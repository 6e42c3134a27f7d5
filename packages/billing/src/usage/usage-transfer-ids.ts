/**
 * The ledger transfer ids of one billed request, each derived from its usage
 * event id (`use_…`), so a retried hold, settlement or release finds its
 * transfer (`exists`) instead of moving money twice.
 */
export const usageTransferIds = {
  /** The wallet hold (pending, user → usage_clearing). */
  hold: (usageEventId: string) => `hold:${usageEventId}`,
  /** The hold's resolution at settlement: posted for the retail price, or voided when it is 0. */
  settle: (usageEventId: string) => `settle:${usageEventId}`,
  /** The hold's void when the request is not settled. */
  release: (usageEventId: string) => `release:${usageEventId}`,
  /** usage_clearing → the upstream cost's payee. */
  cost: (usageEventId: string) => `cost:${usageEventId}`,
  /** usage_clearing → the developer's share. */
  developerShare: (usageEventId: string) => `dev:${usageEventId}`,
  /** usage_clearing → the platform's share. */
  platformShare: (usageEventId: string) => `plat:${usageEventId}`,
  /** revenue → usage_clearing: the platform pays in what an overrun left unpaid. */
  overrun: (usageEventId: string) => `overrun:${usageEventId}`,
  /** The developer key's budget hold (pending, budget → external_funding). */
  budgetHold: (usageEventId: string) => `budget-hold:${usageEventId}`,
  /** The budget hold's resolution at settlement. */
  budgetSettle: (usageEventId: string) => `budget-settle:${usageEventId}`,
  /** The budget hold's void when the request is not settled. */
  budgetRelease: (usageEventId: string) => `budget-release:${usageEventId}`,
} as const;
