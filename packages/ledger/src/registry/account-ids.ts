/**
 * Every ledger account id, declared once. An id says what its account is, so
 * a transfer row reads without a join; the CHECK of migration 0002 (0010)
 * ties the id to the account's kind:
 *
 * | id                          | kind             | what                                       |
 * |-----------------------------|------------------|--------------------------------------------|
 * | `user:<end user id>`        | end_user         | an end user's wallet                       |
 * | `developer:<developer id>`  | developer        | a developer's earnings, paid out           |
 * | `developer:<key id>:budget` | developer        | a developer provider key's budget          |
 * | `platform:<kind>`           | the platform kinds | one singleton each (PLATFORM_ACCOUNTS)   |
 *
 * Code names accounts only through `accountIds` and PLATFORM_ACCOUNTS, never
 * by a string of its own; SQL that must name one gets the prefix as a
 * parameter (ACCOUNT_ID_PREFIXES).
 */

/** The platform's singleton accounts, created by migration 0002. */
export const PLATFORM_ACCOUNTS = {
  /** The platform's share of every margin (credit-normal). */
  revenue: "platform:revenue",
  /** What is owed to upstream providers for usage (credit-normal). */
  providerCost: "platform:provider_cost",
  /** Where a settled hold lands before it is split; nets to zero after each settlement. */
  usageClearing: "platform:usage_clearing",
  /** The outside world: top-ups are debited here (debit-normal, so its balance is negative). */
  externalFunding: "platform:external_funding",
  /** Developer payouts approved but not yet sent. */
  payoutsClearing: "platform:payouts_clearing",
  /** What others owe the platform (debit-normal). */
  receivable: "platform:receivable",
} as const;

export type PlatformAccountId = (typeof PLATFORM_ACCOUNTS)[keyof typeof PLATFORM_ACCOUNTS];

/** The prefixes of the per-owner ids, for SQL that joins an owner's table to its account (`$1 || d.id`). */
export const ACCOUNT_ID_PREFIXES = {
  user: "user:",
  developer: "developer:",
} as const;

/** What may follow a prefix (mirrors the CHECK of migration 0002). */
export const OWNER_ID = /^[A-Za-z0-9_.:-]{1,128}$/;

const DEVELOPER_KEY_ID = /^dpk_[A-Za-z0-9_]{1,64}$/;

/** Typed constructors of the per-owner account ids. Each throws on an id the ledger could not store. */
export const accountIds = {
  /** `user:<endUserId>`: the end user's wallet (kind end_user). */
  user(endUserId: string): string {
    return ACCOUNT_ID_PREFIXES.user + ownerId(endUserId);
  },

  /** `developer:<developerId>`: what the developer has earned and not yet been paid out (kind developer). */
  developer(developerId: string): string {
    return ACCOUNT_ID_PREFIXES.developer + ownerId(developerId);
  },

  /**
   * `developer:<key id>:budget`: the account that enforces a developer
   * provider key's `budget_limit_units` (kind developer, so its debits can
   * never exceed its posted credits, whatever the concurrency). Funded from
   * platform:external_funding up to the key's limit; every request routed
   * over the key holds its most possible upstream cost here and settles for
   * the actual cost. The money it counts is the developer's own, spent
   * outside the platform (the developer pays the provider), which is why its
   * counterpart is the outside world's account. It cannot collide with a
   * developer's own account (`developer:dev_…`, no colon), so payouts and
   * revenue never see it.
   */
  keyBudget(keyId: string): string {
    if (!DEVELOPER_KEY_ID.test(keyId)) throw new RangeError("not a developer provider key id");
    return `${ACCOUNT_ID_PREFIXES.developer}${keyId}:budget`;
  },
} as const;

function ownerId(id: string): string {
  if (!OWNER_ID.test(id)) throw new RangeError(`not a valid ledger owner id: ${JSON.stringify(id)}`);
  return id;
}
