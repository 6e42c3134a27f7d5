import { ACCOUNT_ID_PREFIXES, OWNER_ID, PLATFORM_ACCOUNTS, type PlatformAccountId } from "./registry/account-ids.js";

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

/** The platform singleton of each platform kind (the rows migration 0002 inserts). */
export const PLATFORM_ACCOUNT_OF_KIND: Record<Exclude<AccountKind, "end_user" | "developer">, PlatformAccountId> = {
  platform_revenue: PLATFORM_ACCOUNTS.revenue,
  provider_cost: PLATFORM_ACCOUNTS.providerCost,
  usage_clearing: PLATFORM_ACCOUNTS.usageClearing,
  external_funding: PLATFORM_ACCOUNTS.externalFunding,
  payouts_clearing: PLATFORM_ACCOUNTS.payoutsClearing,
  receivable: PLATFORM_ACCOUNTS.receivable,
};

export function isConstrained(kind: AccountKind): boolean {
  return kind === "end_user" || kind === "developer";
}

/** Whether `id` is the id an account of `kind` must have (mirrors the CHECK of migration 0002). */
export function idMatchesKind(id: string, kind: AccountKind): boolean {
  switch (kind) {
    case "end_user":
      return hasOwnerId(id, ACCOUNT_ID_PREFIXES.user);
    case "developer":
      return hasOwnerId(id, ACCOUNT_ID_PREFIXES.developer);
    default:
      return id === PLATFORM_ACCOUNT_OF_KIND[kind];
  }
}

function hasOwnerId(id: string, prefix: string): boolean {
  return id.startsWith(prefix) && OWNER_ID.test(id.slice(prefix.length));
}

export function isAccountKind(value: unknown): value is AccountKind {
  return typeof value === "string" && (ACCOUNT_KINDS as readonly string[]).includes(value);
}
