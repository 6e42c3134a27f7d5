/**
 * The ledger account that enforces a developer key's `budget_limit_units`:
 * `developer:<key id>:budget`, a constrained account (kind `developer`, so
 * its debits can never exceed its posted credits, whatever the concurrency).
 *
 * The API funds it from `platform:external_funding` up to the key's limit;
 * every request routed over the key holds its most possible upstream cost on
 * it and settles for the actual cost. The money it counts is the developer's
 * own, spent outside the platform (the developer pays the provider), which is
 * why its counterpart is the outside world's account. The id cannot collide
 * with a developer's own account (`developer:dev_…`, no colon), so payouts
 * and revenue never see it.
 */
export function developerKeyBudgetAccountId(keyId: string): string {
  if (!/^dpk_[A-Za-z0-9_]{1,64}$/.test(keyId)) throw new RangeError("not a developer provider key id");
  return `developer:${keyId}:budget`;
}

/** Ledger transfer codes of developer-key budgets. */
export const DEVELOPER_KEY_BUDGET_CODES = {
  /** external_funding → budget: the limit was set or raised. */
  fund: "developer_key_budget_fund",
  /** budget → external_funding: the limit was lowered, removed or its key revoked. */
  unfund: "developer_key_budget_unfund",
  /** budget → external_funding, pending: one request's most possible upstream cost. */
  hold: "developer_key_budget_hold",
} as const;
