/**
 * What an account is for. end_user and developer accounts are CONSTRAINED:
 * their debits (posted + pending) never exceed their posted credits. The
 * platform kinds are unconstrained singletons.
 */
export type AccountKind =
  | "end_user"
  | "developer"
  | "platform_revenue"
  | "provider_cost"
  | "usage_clearing"
  | "external_funding"
  | "payouts_clearing"
  | "receivable";

export const ACCOUNT_KINDS: readonly AccountKind[] = [
  "end_user",
  "developer",
  "platform_revenue",
  "provider_cost",
  "usage_clearing",
  "external_funding",
  "payouts_clearing",
  "receivable",
];

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

const OWNER_ID = /^[A-Za-z0-9_.:-]{1,128}$/;

/** `user:<endUserId>`. Throws on an id the ledger could not store. */
export function userAccountId(endUserId: string): string {
  assertOwnerId(endUserId);
  return `user:${endUserId}`;
}

/** `developer:<developerId>`. Throws on an id the ledger could not store. */
export function developerAccountId(developerId: string): string {
  assertOwnerId(developerId);
  return `developer:${developerId}`;
}

function assertOwnerId(ownerId: string): void {
  if (!OWNER_ID.test(ownerId)) throw new RangeError(`not a valid ledger owner id: ${JSON.stringify(ownerId)}`);
}

export function isConstrained(kind: AccountKind): boolean {
  return kind === "end_user" || kind === "developer";
}

/** Whether `id` is the id an account of `kind` must have (mirrors the CHECK of migration 0002). */
export function idMatchesKind(id: string, kind: AccountKind): boolean {
  switch (kind) {
    case "end_user":
      return id.startsWith("user:") && OWNER_ID.test(id.slice("user:".length));
    case "developer":
      return id.startsWith("developer:") && OWNER_ID.test(id.slice("developer:".length));
    case "platform_revenue":
      return id === PLATFORM_ACCOUNTS.revenue;
    default:
      return id === `platform:${kind}`;
  }
}

export function isAccountKind(value: unknown): value is AccountKind {
  return typeof value === "string" && (ACCOUNT_KINDS as readonly string[]).includes(value);
}
