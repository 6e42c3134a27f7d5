/**
 * Why money moves: every transfer `code` the platform writes, declared once
 * (`^[a-z][a-z0-9_]{0,63}$`, the CHECK of migration 0002). Each line names
 * the accounts it moves between (debit → credit). Reports and audits read
 * these values from stored rows, so a value never changes: a new meaning
 * gets a new code.
 */
export const TRANSFER_CODES = {
  /** user → usage_clearing, pending: the most a request can cost, held before upstream is called. */
  usageHold: "usage_hold",
  /** usage_clearing → provider_cost: the upstream cost of a request on the platform pool. */
  usageProviderCost: "usage_provider_cost",
  /** usage_clearing → developer: the upstream cost on a developer-key route, paid back to the developer who paid it. */
  usageDeveloperKeyCost: "usage_developer_key_cost",
  /** usage_clearing → developer: the developer's share of a request's margin. */
  usageDeveloperShare: "usage_developer_share",
  /** usage_clearing → revenue: the platform's share of a request's margin. */
  usagePlatformShare: "usage_platform_share",
  /** revenue → usage_clearing: what the platform pays in when usage overran the hold below cost + developer share. */
  usageOverrun: "usage_overrun",

  /** external_funding → key budget: a developer key's budget was set or raised. */
  keyBudgetFund: "developer_key_budget_fund",
  /** key budget → external_funding: the budget was lowered, removed or its key revoked. */
  keyBudgetUnfund: "developer_key_budget_unfund",
  /** key budget → external_funding, pending: one request's most possible upstream cost over the key. */
  keyBudgetHold: "developer_key_budget_hold",

  /** external_funding → user: a paid Stripe checkout session credits the wallet. */
  stripeTopUp: "stripe_top_up",
  /** user → external_funding: a Stripe refund takes back what the wallet still has. */
  stripeRefund: "stripe_refund",
  /** receivable → external_funding: the part of a refund the wallet had already spent. */
  stripeRefundReceivable: "stripe_refund_receivable",
  /** user → external_funding: a Stripe dispute takes back what the wallet still has. */
  stripeDispute: "stripe_dispute",
  /** receivable → external_funding: the part of a dispute the wallet had already spent. */
  stripeDisputeReceivable: "stripe_dispute_receivable",

  /** developer → payouts_clearing, pending: a payout run sets the developer's balance aside; posted when paid. */
  payout: "payout",
  /** payouts_clearing → external_funding: a paid payout leaves the platform. */
  payoutSent: "payout_sent",

  /** external_funding → user: an operator's test credit. */
  testCredit: "test_credit",
  /** external_funding ↔ user: an operator's correction of a wallet (either direction). */
  adjustment: "adjustment",
  /** external_funding ↔ user: an operator's refund booked by hand. */
  refund: "refund",
  /** external_funding ↔ user: an operator's chargeback booked by hand. */
  chargeback: "chargeback",
} as const;

export type TransferCode = (typeof TRANSFER_CODES)[keyof typeof TRANSFER_CODES];
