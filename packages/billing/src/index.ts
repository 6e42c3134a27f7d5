/**
 * @modelfaucet/billing — the money recipes: who is paid what, and when.
 *
 * The ledger moves money; these recipes decide which transfers a business
 * event makes, with which idempotency ids, and write the rows that must
 * commit with them (the usage event, the top-up, the payout, the audit
 * entry). The apps only parse a request, call a recipe and map its result to
 * the response. Each recipe states its invariant as an equality in its
 * header; account ids and transfer codes come from the ledger's registry.
 *
 * | recipe | invariant |
 * |---|---|
 * | usage hold + settlement (`createLedgerBilling`) | retail = cost + developer + platform; Σ into usage clearing = Σ out, per request; the wallet pays a usage event's retail once or nothing |
 * | developer-key budgets (`fundDeveloperKeyBudget`, budget holds) | budget balance = funding − Σ min(cost, hold) of its settled requests, never below 0 |
 * | spending budgets (`withSpendBudgets`; counters, no money) | per budget and window: spent + held ≤ limit at every admitted reservation; a request's reservation resolves once (settled at its actual amounts, released, or swept) |
 * | top-up (`applyStripeEvent`, `creditPaidSession`, `startTopUp`) | Σ credited for a checkout session = its amount_total, once per session |
 * | claw-back (`clawBackRefund`, `clawBackDispute`) | refunded + disputed ≤ credited; each claw-back = from the wallet + to receivable |
 * | adjustments (`adjustWallet`, `creditTestBalance`) | the wallet moves by ±amount once per idempotency key, never below 0 |
 * | payouts (`runPayouts`, `approvePayout`, `markPayoutPaid`, `cancelPayout`) | a payout's hold = its amount; paid = posted and sent once; cancelled = voided |
 * | local tickets (`issueLocalTicket`, `settleLocalReport`, `releaseUnreportedLocalTickets`) | a ticket's fee is held from issue, then charged once (its report) or released (after its grace period), never both |
 *
 * A recipe that records itself writes its audit entry (@modelfaucet/store)
 * in its own transaction, so the money and its record commit together.
 */

export type {
  BilledSession,
  Billing,
  BudgetReservation,
  Hold,
  Settled,
  SpendContext,
  UsageRecord,
} from "./usage/billing.js";
export { createLedgerBilling } from "./usage/ledger-billing.js";
export { withSpendBudgets, type SpendBudgetsOptions } from "./limits/with-spend-budgets.js";
export { describeBudget } from "./limits/budget-exceeded.js";
export { readUserLimits, type UserBudgetState, type UserRateState } from "./limits/read-user-limits.js";
export { storedBudgetsFor } from "./limits/stored-limits.js";

export {
  fundDeveloperKeyBudget,
  foldFundedBudget,
  type BudgetFunding,
} from "./key-budgets/fund-developer-key-budget.js";

export {
  developerBalance,
  openWallet,
  walletBalance,
  walletBalanceUsd,
  type AccountBalance,
} from "./wallets/wallets.js";

export { applyStripeEvent, type AppliedStripeEvent } from "./top-ups/apply-stripe-event.js";
export { REJECTION_REASONS, type StripeEventOutcome } from "./top-ups/stripe-event-effect.js";
export { stripeEventSchema, type StripeEventEnvelope } from "./top-ups/stripe-event-schemas.js";
export { CheckoutNotOpenedError, startTopUp, type StartTopUpInput } from "./top-ups/start-top-up.js";
export { unitsToCents } from "./top-ups/stripe-cents.js";

export { adjustWallet, type Adjustment, type AdjustmentInput } from "./adjustments/adjust-wallet.js";
export { creditTestBalance, type TestCredit, type TestCreditInput } from "./adjustments/credit-test-balance.js";

export { runPayouts, type RunPayoutsResult } from "./payouts/run-payouts.js";
export { approvePayout, cancelPayout, markPayoutPaid } from "./payouts/review-payout.js";
export { getPayout, listPayouts, type ListPayoutsInput } from "./payouts/list-payouts.js";
export type { PayoutRow } from "./payouts/payout-record.js";
export { issueLocalTicket, type IssuedLocalTicket, type LocalTicketRequest } from "./local/issue-local-ticket.js";
export { settleLocalReport, type LocalReportOutcome } from "./local/settle-local-report.js";
export { releaseUnreportedLocalTickets } from "./local/release-unreported-tickets.js";
export {
  LOCAL_TICKET_PREFIX,
  localHoldTimeoutSeconds,
  type LocalTicketSettings,
} from "./local/local-ticket-settings.js";
